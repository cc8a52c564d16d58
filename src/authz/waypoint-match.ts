// A waypoint rule compiled to data, and the few functions that evaluate it. As nested closures every
// attribute and every value cost a megamorphic call; as data each check goes through the same
// monomorphic functions, which V8 inlines into one loop per rule.
import type { PeerIdentity } from './identity';
import { cidrContains, type Cidr } from './ip';
import { hasPrefix, hasSuffix, type StringMatchSpec } from './strings';
import type { RequestAuth } from './types';

/** What a waypoint knows about one request, prepared once per evaluation. */
export interface WpFacts {
  id: PeerIdentity | null;
  src: number[] | null;
  remote: number[] | null;
  dst: number[] | null;
  port: number;
  /** Lower-cased :authority (compared as is). */
  host: string;
  method: string;
  /** URL path without query string. */
  path: string;
  headers: Record<string, string>;
  sni: string;
  auth: RequestAuth | null;
}

export type WpCheck = (f: WpFacts) => boolean;

/** Which fact a value is tested against. */
export const V_PORT = 0;
export const V_METHOD = 1;
export const V_PATH = 2;
/** :authority, compared lower-cased. */
export const V_HOST = 3;
/** The header named by `name`; absent never matches. */
export const V_HEADER = 4;
/** The peer principal; no identity, or one without spiffe://, never matches. */
export const V_PRINCIPAL = 5;
/** The peer namespace; never matches an empty one. */
export const V_NAMESPACE = 6;
/** Namespace `name` and service account `str`. */
export const V_SERVICE_ACCOUNT = 7;
export const V_TRUST_DOMAIN = 8;
/** The SNI; never matches an empty one. */
export const V_SNI = 9;
export const V_SOURCE_IP = 10;
export const V_REMOTE_IP = 11;
export const V_DESTINATION_IP = 12;
/** Never matches (Envoy dynamic metadata, never populated in the simulation). */
export const V_NEVER = 13;
/** `fn` decides (the rare request.auth.* attributes). */
export const V_FN = 14;

/** How a string fact is compared with `str` (or `re`). */
export const S_ANY = 0;
export const S_PRESENCE = 1;
export const S_PREFIX = 2;
export const S_SUFFIX = 3;
export const S_EXACT = 4;
export const S_REGEX = 5;

/** One value of one attribute. Every instance has every field, so the evaluator sees one shape. */
export class WpValue {
  fact: number;
  op = S_ANY;
  str = '';
  name = '';
  num = 0;
  cidr: Cidr | null = null;
  re: RegExp | null = null;
  fn: WpCheck | null = null;

  constructor(fact: number, init: Partial<Omit<WpValue, 'fact'>> = {}) {
    this.fact = fact;
    Object.assign(this, init);
  }
}

/** `spec` as the op/str pair of a value. */
export function specValue(fact: number, spec: StringMatchSpec, init: Partial<Omit<WpValue, 'fact' | 'op' | 'str'>> = {}): WpValue {
  switch (spec.type) {
    case 'presence':
      return new WpValue(fact, { ...init, op: S_PRESENCE });
    case 'prefix':
      return new WpValue(fact, { ...init, op: S_PREFIX, str: spec.value });
    case 'suffix':
      return new WpValue(fact, { ...init, op: S_SUFFIX, str: spec.value });
    case 'exact':
      return new WpValue(fact, { ...init, op: S_EXACT, str: spec.value });
  }
}

/** ANY of `values` (NONE of them when `negate`), or, with `alts`, ANY of those AND-lists. */
export interface WpCond {
  values: WpValue[];
  negate: boolean;
  alts: WpCond[][] | null;
}

function strHolds(v: WpValue, s: string): boolean {
  switch (v.op) {
    case S_ANY:
      return true;
    case S_PRESENCE:
      return s.length > 0;
    case S_PREFIX:
      return hasPrefix(s, v.str);
    case S_SUFFIX:
      return hasSuffix(s, v.str);
    case S_EXACT:
      return s === v.str;
    default:
      return v.re!.test(s);
  }
}

export function valueHolds(v: WpValue, f: WpFacts): boolean {
  switch (v.fact) {
    case V_PORT:
      return f.port === v.num;
    case V_METHOD:
      return strHolds(v, f.method);
    case V_PATH:
      return strHolds(v, f.path);
    case V_HOST:
      return strHolds(v, f.host);
    case V_HEADER: {
      const h = f.headers[v.name];
      return h !== undefined && strHolds(v, h);
    }
    case V_PRINCIPAL: {
      const id = f.id;
      return id !== null && id.principal !== '' && strHolds(v, id.principal);
    }
    case V_NAMESPACE: {
      const id = f.id;
      return id !== null && id.namespace.length > 0 && strHolds(v, id.namespace);
    }
    case V_SERVICE_ACCOUNT: {
      const id = f.id;
      return id !== null && id.namespace === v.name && id.serviceAccount === v.str;
    }
    case V_TRUST_DOMAIN: {
      const id = f.id;
      return id !== null && strHolds(v, id.trustDomain);
    }
    case V_SNI:
      return f.sni !== '' && strHolds(v, f.sni);
    case V_SOURCE_IP:
      return cidrContains(v.cidr!, f.src);
    case V_REMOTE_IP:
      return cidrContains(v.cidr!, f.remote);
    case V_DESTINATION_IP:
      return cidrContains(v.cidr!, f.dst);
    case V_NEVER:
      return false;
    default:
      return v.fn!(f);
  }
}

function condHolds(c: WpCond, f: WpFacts): boolean {
  if (c.alts !== null) {
    for (let i = 0; i < c.alts.length; i++) if (allHold(c.alts[i]!, f)) return true;
    return false;
  }
  const vs = c.values;
  let hit = false;
  for (let i = 0; i < vs.length && !hit; i++) hit = valueHolds(vs[i]!, f);
  return hit !== c.negate;
}

/** Every condition holds (an empty list holds). */
export function allHold(conds: WpCond[], f: WpFacts): boolean {
  for (let i = 0; i < conds.length; i++) if (!condHolds(conds[i]!, f)) return false;
  return true;
}
