// Go's net/netip address and prefix parsing, for the errors Istio's validation reports with its
// messages (`bad CIDR range (x): netip.ParsePrefix("x"): ...`): undefined when Go accepts the text,
// otherwise the error text Go gives.

const quote = (s: string): string => JSON.stringify(s);

function addrError(input: string, msg: string, at?: string): string {
  return at ? `ParseAddr(${quote(input)}): ${msg} (at ${quote(at)})` : `ParseAddr(${quote(input)}): ${msg}`;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** A dotted quad: four decimal fields of 0..255, no leading zeros. */
function ipv4Error(input: string, s: string): string | undefined {
  let fields = 1;
  let digits = 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (isDigit(c)) {
      if (digits === 1 && value === 0) return addrError(input, 'IPv4 field has octet with leading zero');
      value = value * 10 + Number(c);
      digits++;
      if (value > 255) return addrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (fields === 4) return addrError(input, 'IPv4 address too long');
      fields++;
      value = 0;
      digits = 0;
    } else return addrError(input, 'unexpected character', s.slice(i));
  }
  return fields < 4 ? addrError(input, 'IPv4 address too short') : undefined;
}

const HEX = /^[0-9a-fA-F]/;

/** Colon-separated 16-bit hex fields, one `::`, an optional embedded IPv4 in the last 32 bits, an optional zone. */
function ipv6Error(input: string): string | undefined {
  let s = input;
  const percent = s.indexOf('%');
  if (percent >= 0) {
    if (percent === s.length - 1) return addrError(input, 'zone must be a non-empty string');
    s = s.slice(0, percent);
  }
  let bytes = 0;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return undefined;
  }
  while (bytes < 16) {
    let n = 0;
    let value = 0;
    while (n < s.length && HEX.test(s[n]!)) {
      value = value * 16 + parseInt(s[n]!, 16);
      n++;
      if (value > 0xffff) return addrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (n === 0) return addrError(input, 'each colon-separated field must have at least one digit', s);
    if (s[n] === '.') {
      if (ellipsis < 0 && bytes !== 12) return addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (bytes + 4 > 16) return addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      // Go 1.22+ parses the embedded quad in place: its errors name the whole input.
      const v4 = ipv4Error(input, s);
      if (v4) return v4;
      bytes += 4;
      s = '';
      break;
    }
    bytes += 2;
    s = s.slice(n);
    if (s === '') break;
    if (s[0] !== ':') return addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) return addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return addrError(input, 'multiple :: in address', s);
      ellipsis = bytes;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return addrError(input, 'trailing garbage after address', s);
  if (bytes < 16 && ellipsis < 0) return addrError(input, 'address string too short');
  if (bytes === 16 && ellipsis >= 0) return addrError(input, 'the :: must expand to at least one field of zeros');
  return undefined;
}

/** netip.ParseAddr's error for `s`, or undefined when it parses. */
export function parseAddrError(s: string): string | undefined {
  for (const c of s) {
    if (c === '.') return ipv4Error(s, s);
    if (c === ':') return ipv6Error(s);
    if (c === '%') return addrError(s, 'missing IPv6 address');
  }
  return addrError(s, 'unable to parse IP');
}

/** netip.ParsePrefix's error for `s`, or undefined when it parses. */
export function parsePrefixError(s: string): string | undefined {
  const fail = (msg: string) => `netip.ParsePrefix(${quote(s)}): ${msg}`;
  const slash = s.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  const addr = s.slice(0, slash);
  const bad = parseAddrError(addr);
  if (bad) return fail(bad);
  const v6 = addr.includes(':');
  if (v6 && addr.includes('%')) return fail('IPv6 zones cannot be present in a prefix');
  const bits = s.slice(slash + 1);
  // Go's strconv.Atoi would take a sign or leading zeros; ParsePrefix does not.
  if (!/^(0|[1-9][0-9]*)$/.test(bits)) return fail(`bad bits after slash: ${quote(bits)}`);
  return Number(bits) > (v6 ? 128 : 32) ? fail('prefix length out of range') : undefined;
}
