// Go's net/netip errors, which Istio's security.ValidateIPs puts in its messages
// (`bad CIDR range (x): netip.ParsePrefix("x"): ...`); expected texts as Go's netip prints them.
import { describe, expect, it } from 'vitest';
import { parseAddrError, parsePrefixError } from '../../src/k8s/schemas/go-netip';
import { ipOrCidrError, ipSubnetError } from '../../src/k8s/schemas/istio-values';

describe("Go's netip.ParseAddr", () => {
  it.each(['1.2.3.4', '0.0.0.0', '::', '::1', 'fe80::1%eth0', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '2001:db8::68'])('accepts %s', (s) => {
    expect(parseAddrError(s)).toBeUndefined();
  });
  it.each([
    ['999', 'ParseAddr("999"): unable to parse IP'],
    ['%eth0', 'ParseAddr("%eth0"): missing IPv6 address'],
    ['fe80::1%', 'ParseAddr("fe80::1%"): zone must be a non-empty string'],
    ['1.2.3.4.5', 'ParseAddr("1.2.3.4.5"): IPv4 address too long'],
    ['1.2.3', 'ParseAddr("1.2.3"): IPv4 address too short'],
    ['10.0.0.256', 'ParseAddr("10.0.0.256"): IPv4 field has value >255'],
    ['192.168.1.01', 'ParseAddr("192.168.1.01"): IPv4 field has octet with leading zero'],
    ['1.2.3.4.', 'ParseAddr("1.2.3.4."): IPv4 field must have at least one digit (at ".")'],
    ['0x7f.0.0.1', 'ParseAddr("0x7f.0.0.1"): unexpected character (at "x7f.0.0.1")'],
    ['1::2::3', 'ParseAddr("1::2::3"): multiple :: in address (at ":3")'],
    ['1:2:3:4:5:6:7:8:9', 'ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")'],
    ['1:2:3:4:5:6:7:8:', 'ParseAddr("1:2:3:4:5:6:7:8:"): colon must be followed by more characters (at ":")'],
    ['1:2:3', 'ParseAddr("1:2:3"): address string too short'],
    ['1:2:3:4:5:6:7::8', 'ParseAddr("1:2:3:4:5:6:7::8"): the :: must expand to at least one field of zeros'],
    ['12345::', 'ParseAddr("12345::"): IPv6 field has value >=2^16 (at "12345::")'],
  ])('refuses %s', (s, message) => {
    expect(parseAddrError(s)).toBe(message);
  });
});

describe("Go's netip.ParsePrefix", () => {
  it.each(['10.0.0.0/8', '10.0.0.1/24', '::/0', '2001:db8::/32'])('accepts %s', (s) => {
    expect(parsePrefixError(s)).toBeUndefined();
  });
  it.each([
    ['10.0.0.0/33', 'netip.ParsePrefix("10.0.0.0/33"): prefix length out of range'],
    ['::/129', 'netip.ParsePrefix("::/129"): prefix length out of range'],
    ['10.0.0.0/x', 'netip.ParsePrefix("10.0.0.0/x"): bad bits after slash: "x"'],
    ['10.0.0.0/08', 'netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08"'],
    ['x/8', 'netip.ParsePrefix("x/8"): ParseAddr("x"): unable to parse IP'],
    ['fe80::1%eth0/64', 'netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix'],
  ])('refuses %s', (s, message) => {
    expect(parsePrefixError(s)).toBe(message);
  });
});

describe("Istio's IP checks", () => {
  it('security.ValidateIPs: a prefix with netip\'s reason, an address without', () => {
    expect(ipOrCidrError('10.0.0.0/33')).toBe('bad CIDR range (10.0.0.0/33): netip.ParsePrefix("10.0.0.0/33"): prefix length out of range');
    expect(ipOrCidrError('10.0.0.256')).toBe('bad IP address (10.0.0.256)');
    expect(ipOrCidrError('10.1.0.0/16')).toBeUndefined();
  });
  it('agent.ValidateIPSubnet: a prefix only with exactly one slash', () => {
    expect(ipSubnetError('10.0.0.0/33')).toBe('10.0.0.0/33 is not a valid CIDR block');
    expect(ipSubnetError('10.0.0.0/8/8')).toBe('10.0.0.0/8/8 is not a valid IP');
    expect(ipSubnetError('fe80::1')).toBeUndefined();
  });
});
