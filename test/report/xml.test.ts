import { describe, expect, it } from 'vitest';
import { stripForbiddenXmlChars, xmlAttr, xmlText } from '../../src/report/xml';

describe('XML escaping', () => {
  it.each([
    ['plain', 'abc', 'abc', 'abc'],
    ['markup', '<a href="x">&</a>', '&lt;a href="x"&gt;&amp;&lt;/a&gt;', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'],
    ['CDATA end', ']]>', ']]&gt;', ']]&gt;'],
    ['apostrophe stays (attributes are double-quoted)', "it's", "it's", "it's"],
    ['newline and tab', 'a\n\tb', 'a\n\tb', 'a&#10;&#9;b'],
    ['carriage return', 'a\r\nb', 'a&#13;\nb', 'a&#13;&#10;b'],
    ['C0 controls, vertical tab, NUL', 'a\u0000b\u0001c\u000Bd\u001Fe', 'abcde', 'abcde'],
    ['U+FFFE and U+FFFF', 'a\uFFFEb\uFFFFc', 'abc', 'abc'],
    ['lone surrogates', 'a\uD800b\uDC00c', 'abc', 'abc'],
    ['unicode and astral plane kept', 'é 🚀 \u00A0 \uE000', 'é 🚀 \u00A0 \uE000', 'é 🚀 \u00A0 \uE000'],
  ])('%s', (_name, input, text, attr) => {
    expect(xmlText(input)).toBe(text);
    expect(xmlAttr(input)).toBe(attr);
  });

  it('keeps every character XML 1.0 allows', () => {
    const allowed = '\t\n\r \u007F\u0085\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}';
    expect(stripForbiddenXmlChars(allowed)).toBe(allowed);
  });
});
