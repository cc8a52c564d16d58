// PeerAuthentication port-level keys are workload (target) ports, compared after the Service port
// is translated (reference/ambient.md §4): a key equal to a Service port only is never applied. And
// a STRICT port that istiod skips (see strictPortsIgnored) is never enforced.
import { compilePeerAuthn } from '../../authz/peer-authn';
import type { PeerAuthentication } from '../../k8s/types';
import { MSH } from '../codes';
import { namespaceOf, type AnalysisContext } from '../context';

const modeOf = (pa: PeerAuthentication | undefined) => pa?.spec?.mtls?.mode ?? 'UNSET';

/**
 * istiod's convertPeerAuthentication skips a STRICT port when the mesh-wide mode is STRICT and the
 * namespace sets none, whatever the workload's own mode (Go's && binds tighter than ||). On a
 * PERMISSIVE or DISABLE workload policy that port is then not enforced at all.
 */
function strictPortsIgnored(ctx: AnalysisContext): void {
  const pas = ctx.resources.filter((r) => r.obj.kind === 'PeerAuthentication');
  const idx = compilePeerAuthn(
    pas.map((r) => r.obj as PeerAuthentication),
    ctx.config.rootNamespace,
  );
  if (modeOf(idx.mesh) !== 'STRICT') return;
  for (const r of pas) {
    const pa = r.obj as PeerAuthentication;
    const ns = namespaceOf(pa);
    if (ns === ctx.config.rootNamespace || !pa.spec?.selector || !['PERMISSIVE', 'DISABLE'].includes(modeOf(pa))) continue;
    const nsCfg = idx.namespaceLevel.get(ns);
    if (nsCfg !== undefined && modeOf(nsCfg) !== 'UNSET') continue;
    for (const [key, m] of Object.entries(pa.spec.portLevelMtls ?? {})) {
      if (m?.mode !== 'STRICT') continue;
      ctx.report(
        MSH.PeerAuthnStrictPortIgnored,
        r,
        ['spec', 'portLevelMtls', key],
        `port ${key} is STRICT on a ${modeOf(pa)} workload policy, but the mesh-wide PeerAuthentication ${idx.mesh!.metadata.namespace}/${idx.mesh!.metadata.name} is STRICT and namespace ${ns} sets no mode: istiod skips the port as already enforced by the mesh, so plaintext to it is allowed. Give namespace ${ns} a PeerAuthentication with a mode (PERMISSIVE leaves the rest as it is) and the port is enforced.`,
      );
    }
  }
}

export function checkPeerAuthentication(ctx: AnalysisContext): void {
  strictPortsIgnored(ctx);
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
