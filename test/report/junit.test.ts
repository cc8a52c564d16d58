import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { renderJUnit } from '../../src/report/junit';
import { labRun, NASTY, okRequest, requestStep, runResult, runStep } from './builder';

const XSD = readFileSync(new URL('./fixtures/junit-10.xsd', import.meta.url), 'utf8');

async function validate(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: { fileName: 'report.xml', contents: xml }, schema: { fileName: 'junit-10.xsd', contents: XSD } });
  return r.errors.map((e) => e.message);
}

/** The text of the attribute `name` of the first element matching `tag` (XML-unescaped for the few entities we write). */
function attr(xml: string, tagOpen: RegExp, name: string): string | undefined {
  const tag = tagOpen.exec(xml)?.[0];
  const v = tag && new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return v?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#10;/g, '\n').replace(/&#9;/g, '\t').replace(/&amp;/g, '&');
}

describe('renderJUnit', () => {
  it('validates against the Ant/Jenkins JUnit schema', async () => {
    expect(await validate(renderJUnit([labRun()]))).toEqual([]);
  });

  it('the schema rejects what it should (the validation can fail)', async () => {
    const broken = renderJUnit([labRun()]).replace('<testcase ', '<testcase bogus="1" ').replace(/tests="\d+"/, 'tests="many"');
    const errors = await validate(broken);
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('has one testsuite per scenario and one testcase per step', () => {
    const xml = renderJUnit([labRun(), runResult('second', [runStep('only')])]);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(attr(xml, /<testsuites [^>]*>/, 'tests')).toBe('6');
    expect(attr(xml, /<testsuites [^>]*>/, 'failures')).toBe('1');
  });

  it.each([
    ['name', 'accounts-finance'],
    ['tests', '5'],
    ['failures', '1'],
    ['errors', '0'],
    ['skipped', '1'],
    // 1.25 s run step + 20 ms + 1 ms request steps, the rest take no simulated time.
    ['time', '1.271'],
  ])('testsuite %s=%s', (name, value) => {
    expect(attr(renderJUnit([labRun()]), /<testsuite [^>]*>/, name)).toBe(value);
  });

  it('writes a failed step as <failure> with every message in its body', () => {
    const xml = renderJUnit([labRun()]);
    const tc = /<testcase name="POST is denied"[^>]*>([\s\S]*?)<\/testcase>/.exec(xml)![1]!;
    expect(attr(tc, /<failure [^>]*>/, 'message')).toBe('expected status 200, got 403 ×1 (+1 more)');
    expect(tc).toContain('expected status 200, got 403 ×1\nexpected via [ztunnel, waypoint, ztunnel], got [ztunnel, waypoint]</failure>');
    expect(attr(xml, /<testcase name="POST is denied"[^>]*>/, 'time')).toBe('0.001');
    expect(attr(xml, /<testcase name="POST is denied"[^>]*>/, 'classname')).toBe('accounts-finance');
  });

  it('gives run steps their stdout and request steps a summary', () => {
    const xml = renderJUnit([labRun()]);
    expect(xml).toContain('<system-out>✅ waypoint accounts/waypoint applied\n</system-out>');
    const summary = /<testcase name="GET from finance"[^>]*>\s*<system-out>([\s\S]*?)<\/system-out>/.exec(xml)![1]!;
    expect(summary.split('\n')).toEqual(['3 requests', 'statuses: 200×3', 'outcomes: response×3', 'latency: p50 0.9ms p99 2.1ms max 2.4ms', 'via ztunnel → waypoint → ztunnel ×3']);
    expect(xml).toMatch(/<testcase name="lab exec"[^>]*>\s*<skipped message="skipped \(--no-exec\)"\/>/);
  });

  it('escapes names, messages and output, and drops characters XML forbids', async () => {
    const r = runResult(NASTY, [
      runStep(`step ${NASTY}`, { passed: false, failures: [`failure ${NASTY}\nsecond line`], stdout: `out ${NASTY}`, stderr: 'err \u0007 <b>' }),
      requestStep(`req "${NASTY}"`, [okRequest(1, 0)]),
    ]);
    const xml = renderJUnit([r]);
    expect(await validate(xml)).toEqual([]);
    expect(xml).not.toMatch(/[\u0001\u0007\u000B\uFFFE]/);
    const clean = NASTY.replace(/[\u0001\u000B\uFFFE]/g, '');
    expect(attr(xml, /<testsuite [^>]*>/, 'name')).toBe(clean);
    expect(attr(xml, /<testcase [^>]*>/, 'classname')).toBe(clean);
    expect(attr(xml, /<testcase [^>]*>/, 'name')).toBe(`step ${clean}`);
    expect(attr(xml, /<failure [^>]*>/, 'message')).toBe(`failure ${clean}\nsecond line`);
    expect(xml).toContain('<system-err>err  &lt;b&gt;</system-err>');
    expect(xml).not.toContain('<script>');
  });

  it('is deterministic and empty input is still a valid report', async () => {
    expect(renderJUnit([labRun()])).toBe(renderJUnit([labRun()]));
    const empty = renderJUnit([]);
    expect(empty).toContain('<testsuites name="meshsim" tests="0" failures="0" errors="0" time="0">');
    expect(await validate(empty)).toEqual([]);
  });
});
