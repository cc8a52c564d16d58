// Value checks shared by Istio's validators (pkg/config/security, pkg/config/validation/agent),
// each returning Istio's message or undefined. Used by the security and networking schemas.
import { RE2JS } from 're2js';
import { parseAddrError, parsePrefixError } from './go-netip';

/** security.ValidateIPs on one value: a prefix when it has a `/` (with netip's error), else an address. */
export function ipOrCidrError(v: string): string | undefined {
  if (v.includes('/')) {
    const bad = parsePrefixError(v);
    return bad && `bad CIDR range (${v}): ${bad}`;
  }
  return parseAddrError(v) && `bad IP address (${v})`;
}

/** agent.ValidateIPSubnet: a prefix when it has exactly one `/`, else an address. */
export function ipSubnetError(v: string): string | undefined {
  if (v.split('/').length === 2) return parsePrefixError(v) && `${v} is not a valid CIDR block`;
  return parseAddrError(v) && `${v} is not a valid IP`;
}

export function portStringError(v: string): string | undefined {
  // security.ValidatePorts: Go's strconv.ParseUint(v, 10, 32), whose error is <nil> for a number
  // that fits in 32 bits but not in a port.
  if (!/^\d+$/.test(v)) return `bad port (${v}): strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`;
  if (Number(v) > 4294967295) return `bad port (${v}): strconv.ParseUint: parsing ${JSON.stringify(v)}: value out of range`;
  return Number(v) <= 65535 ? undefined : `bad port (${v}): <nil>`;
}

/** `request.headers[x]`-style keys: something, then `[`, at least one character, `]` at the end. */
function mapKeyError(key: string): string | undefined {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2 ? undefined : `bad key (${key}): should have format a[b]`;
}

/**
 * The `when` keys Istio accepts and how it checks their values (security.ValidateAttribute). Where
 * Istio lists every bad IP or port (a go-multierror inside the message), meshsim gives the first.
 */
export function attributeError(key: string, values: readonly string[]): string | undefined {
  const empty = emptyValues(key, values);
  if (empty) return empty.message;
  const each = (f: (v: string) => string | undefined) => firstProblem(values, f)?.message;
  if (key === 'source.serviceAccount') return serviceAccountValues(key, values)?.message;
  if (key === 'source.trustDomain') return wildcardValues(key, values)?.message;
  if (key.startsWith('request.headers')) return mapKeyError(key);
  if (key.startsWith('request.auth.claims')) return mapKeyError(key);
  if (key.startsWith('experimental.envoy.filters.')) return mapKeyError(key);
  switch (key) {
    case 'source.ip':
    case 'remote.ip':
    case 'destination.ip':
      return each(ipOrCidrError);
    case 'destination.port':
      return each(portStringError);
    case 'source.namespace':
    case 'source.principal':
    case 'request.auth.principal':
    case 'request.auth.audiences':
    case 'request.auth.presenter':
    case 'connection.sni':
      return undefined;
    case 'destination.namespace':
      return `attribute ${key} is replaced by the metadata.namespace`;
    case 'destination.name':
    case 'destination.user':
      return `deprecated attribute ${key}: only supported in v1alpha1`;
  }
  if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
  return `unknown attribute: ${key}`;
}

/** A problem a list check of Istio's security package found: its message, and the item it is at (-1: the list). */
export interface ListProblem {
  at: number;
  message: string;
}

/** security.CheckEmptyValues: the first empty value. */
export function emptyValues(field: string, values: readonly string[]): ListProblem | undefined {
  const at = values.indexOf('');
  return at < 0 ? undefined : { at, message: `empty value not allowed, found in ${field}` };
}

/** security.CheckServiceAccount: at most 16 values, each `sa` or `ns/sa`, no wildcard, at most 320 characters. */
export function serviceAccountValues(field: string, values: readonly string[]): ListProblem | undefined {
  if (values.length > 16) return { at: -1, message: 'may not have more than 16 values' };
  return firstProblem(values, (v) => serviceAccountError(field, v));
}

function serviceAccountError(field: string, v: string): string | undefined {
  if (v === '') return `empty value not allowed, found in ${field}`;
  if (v.includes('*')) return `wildcard not allowed, found in ${field}`;
  const slashes = v.split('/').length - 1;
  if (slashes > 1) return `expected format 'serviceAccount' or 'namespace/serviceAccount', found "${v}" in ${field}`;
  if (v.length > 320) return `value cannot exceed 320 characters, found "${v}" in ${field}`;
  const [ns, sa] = slashes ? v.split('/') : [undefined, v];
  if (ns === '') return `expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace "${v}" in ${field}`;
  if (sa === '') return `expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount "${v}" in ${field}`;
  return undefined;
}

/** The first value `test` finds a problem with. */
function firstProblem(values: readonly string[], test: (v: string) => string | undefined): ListProblem | undefined {
  for (let at = 0; at < values.length; at++) {
    const message = test(values[at]!);
    if (message) return { at, message };
  }
  return undefined;
}

/** security.CheckWildcardValues: no empty value, then at most one `*`, at the start or the end. */
function wildcardValues(field: string, values: readonly string[]): ListProblem | undefined {
  return (
    emptyValues(field, values) ??
    firstProblem(values, (v) => {
      const stars = v.split('*').length - 1;
      if (stars > 1) return `at most one wildcard is allowed, found in ${field}: "${v}"`;
      return stars === 1 && v !== '*' && !v.startsWith('*') && !v.endsWith('*') ? `wildcard is only allowed at the start or end, found in ${field}: "${v}"` : undefined;
    })
  );
}

/** security.CheckTrustDomainValues: the wildcard rules over the whole list, then no `/`. */
export function trustDomainValues(field: string, values: readonly string[]): ListProblem | undefined {
  return wildcardValues(field, values) ?? firstProblem(values, (v) => (v.includes('/') ? `trust domain must not contain '/', found in ${field}: "${v}"` : undefined));
}

/** Envoy's pchar (RFC 3986 appendix A): what a literal segment of a templated path may hold. */
const VALID_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/**
 * security.CheckValidPathTemplate: the first path Envoy's template matcher would not take (a
 * template after `{**}`, a brace outside a template, a templated path's segment that is no literal).
 */
export function pathTemplateValues(field: string, paths: readonly string[]): ListProblem | undefined {
  return firstProblem(paths, (original) => {
    const templated = original.includes('{*}') || original.includes('{**}');
    const path = original.replace(/^\/+|\/+$/g, '');
    const invalid = (why: string) => `invalid or unsupported path ${path}, found in ${field}. ${why}`;
    let anySeen = false;
    for (const glob of path.split('/')) {
      const template = glob === '{*}' || glob === '{**}';
      if (template && anySeen) return invalid('{**} is not the last operator');
      if (template) {
        anySeen ||= glob === '{**}';
        continue;
      }
      if (/[{}]/.test(glob)) return invalid("Contains '{' or '}' beyond a supported path template");
      if (templated && !VALID_LITERAL.test(glob)) return invalid(`Contains segment ${glob} with invalid string literal`);
    }
    return undefined;
  });
}

const ISTIO_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const ISTIO_WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;

/** Istio's labels.IsDNS1123Label: unlike Kubernetes' own, upper case letters are allowed. */
export function isIstioLabel(s: string): boolean {
  return s.length <= 63 && ISTIO_LABEL.test(s);
}

/** labels.IsWildcardDNS1123Label: also `*` and a label after a leading `*` or `*-`. */
function isIstioWildcardLabel(s: string): boolean {
  return s.length <= 63 && ISTIO_WILDCARD_LABEL.test(s);
}

/** agent.ValidateWildcardDomain: a DNS name whose first label may be `*` or start with `*` or `*-`. */
export function wildcardDomainError(domain: string): string | undefined {
  if (domain.length > 255) return `domain name "${domain}" too long (max 255)`;
  if (domain.length === 0) return 'empty domain name not allowed';
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  const firstOk = isIstioWildcardLabel(first);
  if (!firstOk) return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return dot < 0 ? undefined : dns1123LabelsError(domain.slice(dot + 1), domain);
}

/** agent.ValidateFQDN: every label a DNS-1123 label, top-level domain not all digits. */
export function fqdnError(domain: string): string | undefined {
  if (domain.length > 255) return `domain name "${domain}" too long (max 255)`;
  if (domain.length === 0) return 'empty domain name not allowed';
  return dns1123LabelsError(domain, domain);
}

function dns1123LabelsError(rest: string, whole: string): string | undefined {
  const parts = rest.split('.');
  const tld = parts[parts.length - 1]!;
  if (/^[+-]?\d+$/.test(tld)) return `domain name "${whole}" invalid (top level domain "${tld}" cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isIstioLabel(parts[i]!)) return `domain name "${whole}" invalid (label "${parts[i]}" invalid)`;
  }
  return undefined;
}

/** Istio compiles match regexes as RE2 (Go regexp); re2js has the same syntax. */
export function regexError(where: string, re: string): string | undefined {
  if (re === '') return `"${where}": regex string match should not be empty`;
  if (re.length > 1024) return `"${where}": regex is too large, max length allowed is 1024`;
  try {
    RE2JS.compile(re);
    return undefined;
  } catch (e) {
    return `"${where}": ${(e as Error).message}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
  }
}
