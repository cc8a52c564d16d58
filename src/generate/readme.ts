// README.md of a generated scenario: the options it was made with, what it holds, how to run it.
import { PODS_PER_NODE, type GenerateOptions } from './options';
import type { ScenarioPlan } from './plan';
import { formatDuration } from './scenario-file';

/** The command line that regenerates the same files (the output folder left to the reader). */
export function commandLine(o: GenerateOptions): string {
  const flags: [string, string | number | undefined][] = [
    ['seed', o.seed],
    ['name', o.name],
    ['clusters', o.clusters],
    ['regions', o.regions],
    ['zones', o.zones],
    ['nodes-per-zone', o.nodesPerZone],
    ['namespaces', o.namespaces],
    ['services', o.services],
    ['pods', o.pods],
    ['fan-out', o.fanOut],
    ['depth', o.depth],
    ['waypoint-fraction', o.waypointFraction],
    ['policies-per-service', o.policiesPerService],
    ['routes-per-service', o.routesPerService],
    ['rps', o.rps],
    ['duration', formatDuration(o.durationMs)],
  ];
  const parts = flags.filter(([, v]) => v !== undefined).map(([k, v]) => `--${k} ${v}`);
  if (o.singleFile) parts.push('--single-file');
  return `meshsim generate ${parts.join(' ')} -o DIR`;
}

export function readmeFile(plan: ScenarioPlan, files: string[]): string {
  const o = plan.options;
  const count = <T>(items: readonly T[], f: (t: T) => number) => items.reduce((n, t) => n + f(t), 0);
  const waypoints = plan.namespaces.filter((n) => n.waypoint).length;
  const policies = count(plan.services, (s) => s.policies.length);
  const routes = count(plan.services, (s) => s.routes.length);
  const calls = count(plan.services, (s) => s.children.length);
  const nodes = plan.clusters[0]!.nodes.length;
  const perCluster = plan.clusters.map((c, i) => `${c.name}: ${count(plan.services, (s) => s.replicas[i]!)}`).join(', ');
  const requests = count(plan.entries, (e) => e.count);
  const rows: [string, string][] = [
    ['clusters', `${o.clusters}${o.clusters > 1 ? ' (one network each, an east-west gateway per cluster, every Service labelled `istio.io/global: "true"`)' : ''}`],
    ['regions × zones', `${o.regions} × ${o.zones} (zones are dealt to regions in turn)`],
    ['nodes per cluster', `${nodes} (${nodes / o.zones} per zone${o.nodesPerZone === undefined ? `, computed for at most ${PODS_PER_NODE} pods per node` : ''})`],
    ...(plan.clusters[0]!.podSubnet ? [['pod subnets', `${plan.clusters.map((c) => `${c.name}: ${c.podSubnet}`).join(', ')} (\`podSubnet\`: the default /16 holds 256 nodes)`] as [string, string]] : []),
    ['namespaces', `${o.namespaces} (+ \`clients\`)`],
    ['services', String(o.services)],
    ['pods', `${o.pods} service replicas (${perCluster}), plus ${plan.clients.length} entry client(s) per cluster`],
    ['call graph', `${plan.levels.length} level(s) of ${plan.levels.join(' / ')} services, fan-out ${o.fanOut}: ${calls} calls in \`spec.apps[].calls\``],
    ['waypoints', `${waypoints} namespace(s) (fraction ${o.waypointFraction})`],
    ['AuthorizationPolicies', `${policies} (${o.policiesPerService} per service)`],
    ['HTTPRoutes', `${routes} (${o.routesPerService} per service behind a waypoint; routes apply at waypoints only)`],
    ['traffic', `${o.rps} requests/s for ${formatDuration(o.durationMs)} over ${plan.entries.length} entry step(s), ${requests} requests`],
    ['seed', String(o.seed)],
  ];
  return `# ${o.name}

A synthetic ambient mesh written by \`meshsim generate\`. Same options, same files, byte for byte.

\`\`\`
${commandLine(o)}
\`\`\`

| option | value |
|---|---|
${rows.map(([k, v]) => `| ${k} | ${v.replaceAll('|', '\\|')} |`).join('\n')}

## Run it

\`\`\`
meshsim run DIR            # every step, with its expectations
meshsim run DIR -o json    # the full result
meshsim run DIR --stats    # and, on stderr, the load's phases, the play's rate, heap per pod
\`\`\`

Each entry step keeps its first 1000 requests in full, each with the calls it set off; with heavy
traffic, \`--keep N\` keeps fewer (the summaries count every request either way).

Each entry step sends GET requests from a \`clients\` curl pod to a service at the top of the call
graph and expects at least 99% of them to answer 200.

## What is in it

- Every namespace is in ambient mode. A namespace with a waypoint has a \`waypoint\` Gateway
  (\`istio.io/waypoint-for: service\`) and the \`istio.io/use-waypoint: waypoint\` label.
- Each service has a ServiceAccount, a Service (port 80 → 8080) and a Deployment per cluster
  with replicas there. Its image is one meshsim does not model, so it answers 200 naming its pod.
- Policies: the first of each service is an L4 ALLOW (selector, enforced by the destination
  ztunnel) for its callers' principals and, behind a waypoint, the waypoint's principal (the
  ztunnel sees the waypoint's identity there). Further ones are L7 ALLOW/DENY policies with
  \`targetRefs\` to the Service behind a waypoint, or L4 ALLOW-by-namespace / DENY policies
  elsewhere, none of which refuses generated traffic.
- Routes: the first HTTPRoute of a service behind a waypoint matches \`/\`, sometimes splitting by
  weight with another service of its namespace; further ones match \`/api/vN\`.

## Files

${files.map((f) => `- \`${f}\``).join('\n')}
`;
}
