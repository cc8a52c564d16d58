// PeerAuthentication port-level keys are workload (target) ports, compared after the Service port
// is translated (reference/ambient.md §4): a key equal to a Service port only is never applied. And
// a STRICT port that istiod skips (see strictPortsIgnored) is never enforced.
import { unenforcedStrictPorts } from '../../authz/peer-authn';
import type { PeerAuthentication } from '../../k8s/types';
import { MSH } from '../codes';
import { namespaceOf, type AnalysisContext } from '../context';

/** STRICT ports nothing enforces (see unenforcedStrictPorts): plaintext reaches them. */
function strictPortsIgnored(ctx: AnalysisContext): void {
  const idx = ctx.authz.peerAuthn;
  const mesh = idx.mesh;
  if (!mesh) return;
  for (const [ns, pas] of idx.selectorLevel) {
    for (const pa of pas) {
      const r = ctx.resourceOf('PeerAuthentication', ns, pa.metadata.name);
      if (!r) continue;
      for (const port of unenforcedStrictPorts(pa, idx.namespaceLevel.get(ns), mesh)) {
        ctx.report(
          MSH.PeerAuthnStrictPortIgnored,
          r,
          ['spec', 'portLevelMtls', String(port)],
          `port ${port} is STRICT on a ${pa.spec!.mtls!.mode} workload policy, but the mesh-wide PeerAuthentication ${mesh.metadata.namespace}/${mesh.metadata.name} is STRICT and namespace ${ns} sets no mode: istiod skips the port as already enforced by the mesh, so plaintext to it is allowed. Give namespace ${ns} a PeerAuthentication with a mode (PERMISSIVE leaves the rest as it is) and the port is enforced.`,
        );
      }
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
