// `kubectl describe` for pods, services, deployments, namespaces and gateways: the common fields,
// laid out by a tabwriter with padding 2 as kubectl's describers do.
import type { Condition, Deployment, Gateway, KubeObject, Labels, Pod, Service } from '../../k8s/types';
import { isPodReady } from '../../cluster';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { tabwrite } from '../text/table';
import { KubectlError, notFound, nsFor, parseCommand, parseTargets, type Ctx } from './common';
import { listScoped } from './get';

function mapLines(label: string, m: Labels | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return `${label}:\t<none>\n`;
  return keys.map((k, i) => `${i === 0 ? `${label}:` : ''}\t${k}=${m![k]}\n`).join('');
}

function rfc1123(ts: string | undefined): string {
  if (!ts) return '<unknown>';
  return new Date(ts).toUTCString().replace('GMT', '+0000');
}

function conditionsTable(conds: Condition[] | undefined): string {
  if (!conds?.length) return '';
  return `Conditions:\n  Type\tStatus\n${conds.map((c) => `  ${c.type}\t${c.status} \n`).join('')}`;
}

function describePod(ctx: Ctx, p: Pod): string {
  const node = p.spec?.nodeName;
  const nodeIp = node ? (ctx.cluster.get('Node', undefined, node)?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses?.find((a) => a.type === 'InternalIP')?.address : undefined;
  const owner = p.metadata.ownerReferences?.[0];
  let s = `Name:\t${p.metadata.name}\nNamespace:\t${p.metadata.namespace}\nPriority:\t0\nService Account:\t${p.spec?.serviceAccountName ?? 'default'}\n`;
  s += `Node:\t${node ? `${node}/${nodeIp ?? ''}` : '<none>'}\nStart Time:\t${rfc1123(p.status?.startTime ?? p.metadata.creationTimestamp)}\n`;
  s += mapLines('Labels', p.metadata.labels) + mapLines('Annotations', p.metadata.annotations);
  s += `Status:\t${p.status?.phase ?? 'Pending'}\nIP:\t${p.status?.podIP ?? ''}\nIPs:\n`;
  if (p.status?.podIP) s += `  IP:\t${p.status.podIP}\n`;
  if (owner) s += `Controlled By:\t${owner.kind}/${owner.name}\n`;
  s += 'Containers:\n';
  for (const c of p.spec?.containers ?? []) {
    const ports = (c.ports ?? []).map((x) => `${x.containerPort}/${x.protocol ?? 'TCP'}`).join(', ') || '<none>';
    s += `  ${c.name}:\n    Image:\t${c.image ?? ''}\n    Port:\t${ports}\n    Host Port:\t${c.ports?.length ? c.ports.map((x) => `0/${x.protocol ?? 'TCP'}`).join(', ') : '<none>'}\n`;
    if (c.command?.length) s += `    Command:\n${c.command.map((x) => `      ${x}\n`).join('')}`;
    if (c.args?.length) s += `    Args:\n${c.args.map((x) => `      ${x}\n`).join('')}`;
    s += `    State:\t${p.status?.phase === 'Running' ? 'Running' : 'Waiting'}\n    Ready:\t${isPodReady(p) ? 'True' : 'False'}\n    Restart Count:\t0\n`;
    s += c.env?.length ? `    Environment:\n${c.env.map((e) => `      ${e.name}:\t${e.value ?? ''}\n`).join('')}` : '    Environment:\t<none>\n';
  }
  s += conditionsTable(p.status?.conditions);
  s += 'Events:\t<none>\n';
  return s;
}

function describeService(ctx: Ctx, svc: Service): string {
  const spec = svc.spec ?? {};
  const slices = ctx.cluster.list('EndpointSlice', svc.metadata.namespace).filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
  const addrs = slices.flatMap((e) => ((e as { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }).endpoints ?? []).filter((x) => x.conditions?.ready !== false).flatMap((x) => x.addresses));
  let s = `Name:\t${svc.metadata.name}\nNamespace:\t${svc.metadata.namespace}\n`;
  s += mapLines('Labels', svc.metadata.labels) + mapLines('Annotations', svc.metadata.annotations);
  const sel = Object.keys(spec.selector ?? {}).sort().map((k) => `${k}=${spec.selector![k]}`).join(',');
  s += `Selector:\t${sel || '<none>'}\nType:\t${spec.type ?? 'ClusterIP'}\nIP Family Policy:\tSingleStack\nIP Families:\tIPv4\nIP:\t${spec.clusterIP ?? ''}\nIPs:\t${(spec.clusterIPs ?? []).join(',')}\n`;
  for (const p of spec.ports ?? []) {
    s += `Port:\t${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}\nTargetPort:\t${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}\n`;
    s += `Endpoints:\t${addrs.map((a) => `${a}:${typeof p.targetPort === 'number' ? p.targetPort : p.port}`).join(',')}\n`;
  }
  s += `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\nInternal Traffic Policy:\t${spec.internalTrafficPolicy ?? 'Cluster'}\nEvents:\t<none>\n`;
  return s;
}

function describeDeployment(d: Deployment): string {
  const st = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  let s = `Name:\t${d.metadata.name}\nNamespace:\t${d.metadata.namespace}\nCreationTimestamp:\t${rfc1123(d.metadata.creationTimestamp)}\n`;
  s += mapLines('Labels', d.metadata.labels) + mapLines('Annotations', d.metadata.annotations);
  const sel = d.spec?.selector.matchLabels ?? {};
  s += `Selector:\t${Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',')}\n`;
  s += `Replicas:\t${want} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${Math.max(0, want - (st.availableReplicas ?? 0))} unavailable\n`;
  s += 'StrategyType:\tRollingUpdate\nMinReadySeconds:\t0\nRollingUpdateStrategy:\t25% max unavailable, 25% max surge\n';
  s += `Pod Template:\n${mapLines('  Labels', d.spec?.template.metadata?.labels)}`;
  if (d.spec?.template.spec.serviceAccountName) s += `  Service Account:\t${d.spec.template.spec.serviceAccountName}\n`;
  s += '  Containers:\n';
  for (const c of d.spec?.template.spec.containers ?? []) s += `   ${c.name}:\n    Image:\t${c.image ?? ''}\n`;
  s += conditionsTable(st.conditions).replace('  Type\tStatus\n', '  Type\tStatus\tReason\n').replace(/ \n/g, '\n');
  s += 'Events:\t<none>\n';
  return s;
}

function describeGeneric(o: KubeObject): string {
  let s = `Name:\t${o.metadata.name}\n${o.metadata.namespace ? `Namespace:\t${o.metadata.namespace}\n` : ''}`;
  s += mapLines('Labels', o.metadata.labels) + mapLines('Annotations', o.metadata.annotations);
  s += `API Version:\t${o.apiVersion}\nKind:\t${o.kind}\n`;
  const conds = (o.status as { conditions?: Condition[] } | undefined)?.conditions;
  if (o.kind === 'Gateway') {
    const addr = (o as Gateway).status?.addresses ?? [];
    if (addr.length) s += `Status:\n  Addresses:\n${addr.map((a) => `    Type:\t${a.type ?? 'IPAddress'}\n    Value:\t${a.value}\n`).join('')}`;
  }
  if (conds?.length) s += `Conditions:\n${conds.map((c) => `  Type:\t${c.type}\n  Status:\t${c.status}\n  Reason:\t${c.reason ?? ''}\n  Message:\t${c.message ?? ''}\n`).join('')}`;
  s += 'Events:\t<none>\n';
  return s;
}

function describeNamespace(o: KubeObject): string {
  return `Name:\t${o.metadata.name}\n${mapLines('Labels', o.metadata.labels)}${mapLines('Annotations', o.metadata.annotations)}Status:\t${(o.status as { phase?: string } | undefined)?.phase ?? 'Active'}\n\nNo resource quota.\n\nNo LimitRange resource.\n`;
}

function describeOne(ctx: Ctx, o: KubeObject): string {
  switch (o.kind) {
    case 'Pod':
      return describePod(ctx, o as Pod);
    case 'Service':
      return describeService(ctx, o as Service);
    case 'Deployment':
      return describeDeployment(o as Deployment);
    case 'Namespace':
      return describeNamespace(o);
    default:
      return describeGeneric(o);
  }
}

export function runDescribe(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, [{ name: 'selector', short: 'l', value: true }, { name: 'all-namespaces', short: 'A' }, { name: 'show-events' }], cwd);
  const { kinds, named } = parseTargets(ctx.p.args, ctx.cluster);
  if (!kinds.length) throw new KubectlError("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.");
  const errors: string[] = [];
  const objs: KubeObject[] = [];
  if (named.length) {
    for (const n of named) {
      const o = ctx.cluster.get(n.kind, nsFor(ctx, n.kind), n.name);
      if (o) objs.push(o);
      else errors.push(notFound(n.kind, n.name));
    }
  } else for (const k of kinds) objs.push(...listScoped(ctx, k, ctx.p.flags.has('all-namespaces'), ctx.p.flags.get('selector')));
  const text = objs.map((o) => tabwrite(describeOne(ctx, o), { padding: 2 })).join('\n');
  if (!objs.length && !errors.length) return { stdout: '', stderr: `No resources found in ${ctx.namespace} namespace.\n`, exitCode: 0 };
  return { stdout: text, stderr: errors.map((e) => `${e}\n`).join(''), exitCode: errors.length ? 1 : 0 };
}
