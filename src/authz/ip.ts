// IP addresses and CIDR blocks for ipBlocks / source.ip / destination.ip. An address is a list of
// 32-bit words (1 for IPv4, 4 for IPv6) so containment is a few integer compares.

export interface Cidr {
  words: number[];
  bits: number;
}

function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const b = Number(p);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return [n >>> 0];
}

function parseV6(s: string): number[] | null {
  if (!s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = (tail.length ? tail : head).at(-1);
  if (last?.includes('.')) {
    const v4 = parseV4(last);
    if (!v4) return null;
    const list = tail.length ? tail : head;
    list.splice(list.length - 1, 1, ((v4[0]! >>> 16) & 0xffff).toString(16), (v4[0]! & 0xffff).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) {
    const a = all[i]!;
    const b = all[i + 1]!;
    if (!/^[0-9a-f]{1,4}$/i.test(a) || !/^[0-9a-f]{1,4}$/i.test(b)) return null;
    words.push(((parseInt(a, 16) << 16) | parseInt(b, 16)) >>> 0);
  }
  return words;
}

export function parseIp(s: string): number[] | null {
  return parseV4(s) ?? parseV6(s);
}

/** `10.0.0.0/8`, or a bare address meaning /32 or /128. Unparseable values give null (dropped, as istiod does). */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const words = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!words) return null;
  const max = words.length * 32;
  if (slash < 0) return { words, bits: max };
  const bitsText = s.slice(slash + 1);
  if (!/^\d+$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  return bits > max ? null : { words, bits };
}

export function cidrContains(c: Cidr, ip: number[] | null): boolean {
  if (!ip || ip.length !== c.words.length) return false;
  let remaining = c.bits;
  for (let i = 0; i < ip.length && remaining > 0; i++) {
    const take = Math.min(32, remaining);
    const mask = take === 32 ? 0xffffffff : (0xffffffff << (32 - take)) >>> 0;
    if (((ip[i]! & mask) >>> 0) !== ((c.words[i]! & mask) >>> 0)) return false;
    remaining -= take;
  }
  return true;
}
