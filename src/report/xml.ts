// Escaping for XML 1.0 text and attribute values. Characters XML 1.0 forbids (most C0 controls,
// lone surrogates, U+FFFE/U+FFFF) cannot be written even as character references, so they are dropped.

const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripForbiddenXmlChars(s: string): string {
  return s.replace(FORBIDDEN, '');
}

/** Text content: `&` and `<` must be escaped, `>` too so that `]]>` never appears; CR survives parsing only as a reference. */
export function xmlText(s: string): string {
  return stripForbiddenXmlChars(s).replace(/[&<>\r]/g, (c) => TEXT_REFS[c]!);
}

/** Attribute value (double-quoted): tabs and newlines as references, or attribute normalisation would turn them into spaces. */
export function xmlAttr(s: string): string {
  return stripForbiddenXmlChars(s).replace(/[&<>"\t\n\r]/g, (c) => ATTR_REFS[c]!);
}

const TEXT_REFS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_REFS: Record<string, string> = { ...TEXT_REFS, '"': '&quot;', '\t': '&#9;', '\n': '&#10;' };

/** `<name a="v" ...>` with attributes in the given order; undefined values are left out. */
export function openTag(name: string, attrs: [string, string | number | undefined][], selfClose = false): string {
  const a = attrs
    .filter((x): x is [string, string | number] => x[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
  return `<${name}${a}${selfClose ? '/>' : '>'}`;
}
