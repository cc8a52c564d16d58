// A DestinationRule's loadBalancer.localityLbSetting, checked as Istio's webhook checks it
// (pkg/config/validation/agent: ValidateLocalityLbSetting, validateLocalities): `distribute` and
// `failover` exclude each other, each `distribute` entry's weights lie in 1..100 and sum to 100,
// locality patterns carry at most one `*`, last, and never overlap; `failover` names regions only.
import * as z from 'zod';
import { strict, webhookFail } from './common';

type Path = (string | number)[];

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

const setting = strict({
  enabled: z.boolean().optional(),
  distribute: z.array(strict({ from: z.string().optional(), to: z.record(z.string(), z.int()).optional() })).optional(),
  failover: z.array(strict({ from: z.string().optional(), to: z.string().optional() })).optional(),
  failoverPriority: z.array(z.string()).optional(),
});
export type LocalityLbSettingInput = z.output<typeof setting>;

export const localityLbSetting = setting.superRefine((lb, ctx) => {
  for (const [path, message] of localityLbProblems(lb)) webhookFail(ctx, path, message);
});

/** Istio's problems with the setting, in its order; like Istio, some stop the checking. */
export function localityLbProblems(lb: LocalityLbSettingInput): [Path, string][] {
  const distribute = lb.distribute ?? [];
  const failover = lb.failover ?? [];
  if (distribute.length && failover.length) return [[['distribute'], "can not simultaneously specify 'distribute' and 'failover'"]];
  if (failover.length) {
    const topology = (lb.failoverPriority ?? []).find((l) => TOPOLOGY_LABELS.includes(l));
    if (topology !== undefined) return [[['failoverPriority'], `can not simultaneously set 'failover' and topology label '${topology}' in 'failover_priority'`]];
  }
  const problems: [Path, string][] = [];
  for (const [i, d] of distribute.entries()) {
    const to = Object.entries(d.to ?? {});
    if (to.some(([, w]) => w <= 0 || w > 100)) return [...problems, [['distribute', i, 'to'], 'locality weight must be in range [1, 100]']];
    const total = to.reduce((a, [, w]) => a + w, 0);
    if (total !== 100) return [...problems, [['distribute', i, 'to'], `total locality weight ${total} != 100`]];
    const bad = localitiesProblem(to.map(([l]) => l));
    if (bad) problems.push([['distribute', i, 'to'], bad]);
  }
  const fromProblem = localitiesProblem(distribute.map((d) => d.from ?? ''));
  if (fromProblem) problems.push([['distribute'], fromProblem]);
  for (const [i, f] of failover.entries()) {
    const from = f.from ?? '';
    const to = f.to ?? '';
    if (from === to) problems.push([['failover', i], 'locality lb failover settings must specify different regions']);
    if (from.includes('/') || to.includes('/')) problems.push([['failover', i], 'locality lb failover only specify region']);
    if (from.includes('*') || to.includes('*')) problems.push([['failover', i], "locality lb failover region should not contain '*' wildcard"]);
  }
  return problems;
}

/**
 * validateLocalities: the first pattern that has a misplaced wildcard, an empty part, or overlaps
 * one before it (a region covers its zones, a zone its subzones, `*` everything).
 */
function localitiesProblem(localities: readonly string[]): string | undefined {
  // region → zone → subzones; '*' at a level covers the whole level.
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const stars = locality.split('*').length - 1;
    if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
    const overlap = `locality ${locality} overlap with previous specified ones`;
    if (seen.has('*')) return overlap;
    const parts = splitN(locality, '/', 3);
    if (parts.some((p) => p === '')) return `locality ${locality} must not contain empty region/zone/subzone info`;
    const [region = '', zone = '', subzone = ''] = parts;
    const zones = seen.get(region);
    if (parts.length === 1) {
      if (zones) return overlap;
      seen.set(region, new Map([['*', new Set(['*'])]]));
    } else if (parts.length === 2) {
      if (zones?.has('*') || zones?.has(zone)) return overlap;
      if (zones) zones.set(zone, new Set(['*']));
      else seen.set(region, new Map([[zone, new Set(['*'])]]));
    } else {
      if (zones?.has('*')) return overlap;
      const subzones = zones?.get(zone);
      if (subzones?.has('*') || subzones?.has(subzone)) return overlap;
      if (subzones) subzones.add(subzone);
      else if (zones) zones.set(zone, new Set([subzone]));
      else seen.set(region, new Map([[zone, new Set([subzone])]]));
    }
  }
  return undefined;
}

/** Go's strings.SplitN: at most `n` parts, the last holding the rest. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}
