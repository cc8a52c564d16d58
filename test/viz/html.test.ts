import { describe, expect, it } from 'vitest';
import { embedJson, renderHtml } from '../../src/report/html';
import { labRun, XSS, xssRun } from './fixtures';

/** The text between the data element's tags, as a browser would read it. */
function dataOf(html: string): string {
  const m = /<script type="application\/json" id="meshsim-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data element');
  return m[1]!;
}

describe('embedJson', () => {
  it.each([XSS, '</script><!-- <script>', 'a\u2028b\u2029c', '& &amp; <>', '🚀 é \u0001'])('round-trips %j with no markup left', (s) => {
    const out = embedJson({ s });
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual({ s });
  });
});

describe('renderHtml', () => {
  it('embeds the whole result, and nothing ends the data element early', () => {
    const r = xssRun();
    const html = renderHtml(r);
    expect(JSON.parse(dataOf(html))).toEqual(r);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<script>window');
    expect(html).toContain('<title>meshsim · &#60;script&#62;window.__xss=1');
  });

  it('is the same bytes for the same result, and takes a list of results', () => {
    expect(renderHtml(labRun())).toBe(renderHtml(labRun()));
    const both = renderHtml([labRun(), xssRun()]);
    expect(JSON.parse(dataOf(both))).toHaveLength(2);
  });

  it('is self-contained: no external script, style or font', () => {
    const html = renderHtml(labRun());
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/i);
    expect(html).toContain("default-src 'none'");
  });
});
