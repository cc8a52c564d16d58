// PeerAuthentication port-level keys are workload (target) ports, compared after the Service port
// is translated (reference/ambient.md §4): a key equal to a Service port only is never applied.
import type { PeerAuthentication } from '../../k8s/types';
import { MSH } from '../codes';
import { namespaceOf, type AnalysisContext } from '../context';

export function checkPeerAuthentication(ctx: AnalysisContext): void {
  for (const r of ctx.resources) {
    if (r.obj.kind !== 'PeerAuthentication') continue;
    const pa = r.obj as PeerAuthentication;
    const keys = Object.keys(pa.spec?.portLevelMtls ?? {});
    if (keys.length === 0) continue;
    const ns = namespaceOf(pa);
    const sel = pa.spec?.selector?.matchLabels ?? {};
    const selected = ctx.view.workloads.filter(
      (w) => w.role === 'app' && (ns === ctx.config.rootNamespace || w.namespace === ns) && Object.entries(sel).every(([k, v]) => w.labels[k] === v),
    );
    const targetPorts = new Set<number>();
    for (const w of selected) for (const c of w.pod.spec?.containers ?? []) for (const p of c.ports ?? []) targetPorts.add(p.containerPort);
    const mappings: { svc: string; port: number; target: number }[] = [];
    for (const svc of ctx.view.services) {
      for (const ep of svc.endpoints) {
        if (!selected.includes(ep.workload)) continue;
        for (const [port, target] of ep.targetPorts) {
          targetPorts.add(target);
          mappings.push({ svc: `${svc.namespace}/${svc.name}`, port, target });
        }
      }
    }
    for (const key of keys) {
      const port = Number(key);
      if (targetPorts.has(port)) continue;
      const m = mappings.find((x) => x.port === port && x.target !== port);
      if (!m) continue;
      ctx.report(
        MSH.PeerAuthnServicePort,
        r,
        ['spec', 'portLevelMtls', key],
        `portLevelMtls key ${key} is a Service port (Service ${m.svc} maps ${m.port} to target port ${m.target}): ztunnel compares the workload's target port, so this setting never applies. Use ${m.target}.`,
      );
    }
  }
}
