// The policies ztunnel receives, filed for the lookup of one workload's set. A policy's conversion is
// made when a workload's set first needs it: at scale most policies select workloads that see no
// traffic, and converted rules cost more than the policy object. Conversion is pure, so when it
// runs is not observable. Selector policies are chained per (label key, value) instead of listed,
// and filed under the label's key and value apart, so the index holds no key string or list per policy.
import type { AuthorizationPolicy, Labels } from '../k8s/types';
import { convertForZtunnel, refusedForZtunnel, ztScope } from './ztunnel-convert';
import type { ZtPolicy } from './ztunnel-policy';

/** What a conversion depends on besides the policy, shared by every entry of an index. */
export interface ConvertOptions {
  rootNamespace: string;
  dryRunEnabled: boolean | undefined;
}

class ZtunnelEntry {
  private converted: ZtPolicy | null | undefined;
  /** The next selector policy filed under the same label. */
  next: ZtunnelEntry | null = null;

  constructor(
    readonly ap: AuthorizationPolicy,
    private readonly opts: ConvertOptions,
  ) {}

  get policy(): ZtPolicy | null {
    if (this.converted === undefined) this.converted = convertForZtunnel(this.ap, this.opts.rootNamespace, { dryRunEnabled: this.opts.dryRunEnabled }).policy;
    return this.converted;
  }
}

const NO_LABELS: Labels = {};

export class ZtunnelIndex {
  private readonly global: ZtunnelEntry[] = [];
  private readonly byNamespace = new Map<string, ZtunnelEntry[]>();
  /** Selector policies by namespace, then one of their label keys, then its value. Root-namespace ones apply everywhere. */
  private readonly bySelector = new Map<string, Map<string, Map<string, ZtunnelEntry>>>();

  constructor(private readonly opts: ConvertOptions) {}

  /** Files a policy without targetRefs, unless istiod sends ztunnel nothing for it. Call in policy order. */
  add(ap: AuthorizationPolicy): void {
    if (refusedForZtunnel(ap, { dryRunEnabled: this.opts.dryRunEnabled })) return;
    const ns = ap.metadata.namespace ?? 'default';
    const entry = new ZtunnelEntry(ap, this.opts);
    const scope = ztScope(ap, this.opts.rootNamespace);
    if (scope === 'GLOBAL') this.global.push(entry);
    else if (scope === 'NAMESPACE') {
      const list = this.byNamespace.get(ns);
      if (list) list.push(entry);
      else this.byNamespace.set(ns, [entry]);
    } else {
      // `selector: {}` has no labels to attach with: it selects no workload in ambient (authz.md Q1).
      const matchLabels = ap.spec?.selector?.matchLabels ?? NO_LABELS;
      const first = Object.keys(matchLabels).sort()[0];
      if (first === undefined) return;
      let byKey = this.bySelector.get(ns);
      if (!byKey) this.bySelector.set(ns, (byKey = new Map()));
      let byValue = byKey.get(first);
      if (!byValue) byKey.set(first, (byValue = new Map()));
      let tail = byValue.get(matchLabels[first]!);
      if (tail === undefined) byValue.set(matchLabels[first]!, entry);
      else {
        while (tail.next !== null) tail = tail.next;
        tail.next = entry;
      }
    }
  }

  /** Appends the policies of a workload in `namespace` with `labels`, in ztunnel's order: global, namespace, selector. */
  collect(namespace: string, labels: Labels, out: ZtPolicy[]): void {
    for (const e of this.global) push(e, out);
    for (const e of this.byNamespace.get(namespace) ?? []) push(e, out);
    this.selectorMatches(namespace, labels, out);
    if (namespace !== this.opts.rootNamespace) this.selectorMatches(this.opts.rootNamespace, labels, out);
  }

  private selectorMatches(ns: string, labels: Labels, out: ZtPolicy[]): void {
    const byKey = this.bySelector.get(ns);
    if (!byKey) return;
    for (const k in labels) {
      for (let e = byKey.get(k)?.get(labels[k]!) ?? null; e !== null; e = e.next) {
        const matchLabels = e.ap.spec?.selector?.matchLabels ?? NO_LABELS;
        let ok = true;
        for (const lk in matchLabels) if (labels[lk] !== matchLabels[lk]) ok = false;
        if (ok) push(e, out);
      }
    }
  }
}

/** Filed entries are never refused, so each converts to a policy. */
function push(e: ZtunnelEntry, out: ZtPolicy[]): void {
  const p = e.policy;
  if (p !== null) out.push(p);
}
