// istioctl waypoint and ztunnel-config against a simulated cluster (reference/ambient.md §6).
import { describe, expect, it } from 'vitest';
import { DEMO } from './fixtures';
import { labScenario, labSession, run } from './helpers';

const fresh = () => labSession(labScenario(DEMO));

describe('istioctl waypoint', () => {
  it('apply --enroll-namespace --wait prints the three lines and labels the namespace', () => {
    const s = fresh();
    const r = run(s, 'istioctl waypoint apply -n demo --enroll-namespace --wait');
    expect(r).toEqual({
      stdout: '✅ waypoint demo/waypoint applied\n✅ waypoint demo/waypoint is ready!\n✅ namespace demo labeled with "istio.io/use-waypoint: waypoint"\n',
      stderr: '',
      exitCode: 0,
    });
    expect(s.world.cluster('cluster-1').get('Namespace', undefined, 'demo')?.metadata.labels?.['istio.io/use-waypoint']).toBe('waypoint');
  });
  it('a second --enroll-namespace without --overwrite only warns', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --enroll-namespace');
    expect(run(s, 'istioctl waypoint apply -n demo --enroll-namespace --name other')).toEqual({
      stdout: '⚠️ Warning: namespace (demo) already has an enrolled Waypoint. Consider adding the `--overwrite` flag to your apply command.\n',
      stderr: '',
      exitCode: 0,
    });
    expect(s.world.cluster('cluster-1').get('Gateway', 'demo', 'other')).toBeUndefined();
  });
  it('warns when the namespace is not in ambient, and still applies', () => {
    expect(run(fresh(), 'istioctl waypoint apply --enroll-namespace').stdout).toBe(
      '⚠️ Warning: namespace is not enrolled in ambient. Consider running\t`kubectl label namespace default istio.io/dataplane-mode=ambient`\n✅ waypoint default/waypoint applied\n✅ namespace default labeled with "istio.io/use-waypoint: waypoint"\n',
    );
  });
  it('list: No waypoints found., then the padded table with TRAFFIC TYPE none when unlabelled', () => {
    const s = fresh();
    expect(run(s, 'istioctl waypoint list -n demo').stdout).toBe('No waypoints found.\n');
    run(s, 'istioctl waypoint apply -n demo --wait');
    run(s, 'istioctl waypoint apply -n demo --name wl --for workload --wait');
    expect(run(s, 'istioctl waypoint list -n demo').stdout).toBe('NAME         REVISION     TRAFFIC TYPE     PROGRAMMED\nwaypoint     default      none             True\nwl           default      workload         True\n');
    expect(run(s, 'istioctl waypoint list -A').stdout.split('\n')[0]).toBe('NAMESPACE     NAME         REVISION     TRAFFIC TYPE     PROGRAMMED');
  });
  it('status shows the Programmed condition', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --wait');
    expect(run(s, 'istioctl waypoint status -n demo').stdout).toMatch(/^NAME {9}STATUS {5}TYPE {11}REASON {9}MESSAGE\nwaypoint {5}True {7}Programmed {5}Programmed {5}/);
  });
  it('delete by name, unknown names, and the argument rules', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo');
    expect(run(s, 'istioctl waypoint delete waypoint nope -n demo').stdout).toBe('waypoint demo/nope not found\nwaypoint demo/waypoint deleted\n');
    expect(run(s, 'istioctl waypoint delete -n demo')).toMatchObject({ exitCode: 1, stderr: 'Error: must specify a waypoint name or delete all using --all or delete specific revision using --revision\n' });
    expect(run(s, 'istioctl waypoint delete x --all')).toMatchObject({ exitCode: 1, stderr: 'Error: cannot specify waypoint names when deleting all waypoints\n' });
  });
  it('generate prints the Gateway; none is a reserved name; bad --for is rejected', () => {
    expect(run(fresh(), 'istioctl waypoint generate --for service -n default').stdout).toBe(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  labels:\n    istio.io/waypoint-for: service\n  name: waypoint\n  namespace: default\nspec:\n  gatewayClassName: istio-waypoint\n  listeners:\n  - name: mesh\n    port: 15008\n    protocol: HBONE\n',
    );
    expect(run(fresh(), 'istioctl waypoint apply --name none')).toMatchObject({ exitCode: 1, stderr: "Error: failed to create gateway: invalid name provided for waypoint, 'none' is a reserved value\n" });
    expect(run(fresh(), 'istioctl waypoint apply --for bogus').stderr).toBe('Error: failed to create gateway: invalid traffic type: bogus. Valid options are: [all none service workload]\n');
  });
  it.each([
    ['istioctl frob', 'Error: unknown command "frob" for "istioctl"\nRun \'istioctl --help\' for usage.\n'],
    ['istioctl waypoint list --bogus', 'Error: unknown flag: --bogus\n'],
    ['istioctl waypoint frob', 'Error: unknown subcommand "frob"\n'],
    ['istioctl x describe pod x', 'Error: meshsim does not emulate "istioctl x describe"\n'],
    // Real commands a guide uses (install, cleanup, dashboards): named as not emulated, not as unknown.
    ['istioctl install --set profile=ambient --skip-confirmation', 'Error: meshsim does not emulate "istioctl install"\n'],
    ['istioctl uninstall -y --purge', 'Error: meshsim does not emulate "istioctl uninstall"\n'],
    ['istioctl dashboard kiali', 'Error: meshsim does not emulate "istioctl dashboard"\n'],
  ])('%s', (line, stderr) => expect(run(fresh(), line)).toMatchObject({ exitCode: 1, stderr }));
});

describe('istioctl ztunnel-config', () => {
  it('workload: every pod, padding 1, sorted by namespace.name; WAYPOINT only for workload-level bindings', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --enroll-namespace --wait');
    const lines = run(s, 'istioctl zc workload --workload-namespace demo').stdout.split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE POD NAME +ADDRESS +NODE +WAYPOINT PROTOCOL$/);
    expect(lines.slice(1, -1).map((l) => l.split(/ +/)[1]!.split('-')[0])).toEqual(['curl', 'echo', 'echo', 'waypoint']);
    expect(lines[1]).toMatch(/ None +HBONE$/);
    expect(lines[4]).toMatch(/ None +TCP$/);
  });
  it('a workload waypoint shows in the WAYPOINT column', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --for workload --enroll-namespace --wait');
    expect(run(s, 'istioctl zc workload --workload-namespace demo').stdout.split('\n')[1]).toMatch(/ waypoint +HBONE$/);
  });
  it('service: VIP, service-bound waypoint, healthy/total endpoints', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --enroll-namespace --wait');
    const out = run(s, 'istioctl zc service').stdout;
    expect(out.split('\n')[0]).toBe('NAMESPACE    SERVICE NAME SERVICE VIP   WAYPOINT ENDPOINTS');
    expect(out).toMatch(/\ndefault {6}kubernetes {3}10\.96\.0\.1 {5}None {5}0\/0\n/);
    expect(out).toMatch(/\ndemo {9}echo {9}10\.\d+\.\d+\.\d+ +waypoint 2\/2\n/);
  });
  it('a host-network pod is a TCP workload at its node\'s address in ztunnel, and an endpoint of its Service', () => {
    const s = fresh();
    // 1.28 ambient/workloads.go builds every running pod with an IP, marking host-network ones
    // NetworkMode HOST_NETWORK; ztunnel's WorkloadStore keeps them by uid (listed), not by address.
    run(s, 'kubectl apply -f -', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: agent, namespace: demo }\nspec:\n  selector: { matchLabels: { app: agent } }\n  template:\n    metadata: { labels: { app: agent } }\n    spec: { hostNetwork: true, containers: [{ name: a, image: agent }] }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: agent, namespace: demo }\nspec: { selector: { app: agent }, ports: [{ port: 9100 }] }\n');
    const pods = run(s, 'kubectl get pods -n demo -l app=agent -o wide').stdout;
    expect(pods).toMatch(/\nagent-\S+ +1\/1 +Running/);
    const nodeIp = /\nagent-\S+(?: +\S+){4} +(\d+\.\d+\.\d+\.\d+) /.exec(pods)![1]!;
    expect(run(s, 'istioctl zc workload --workload-namespace demo').stdout).toMatch(new RegExp(`\\ndemo +agent-\\S+ +${nodeIp.replace(/\./g, '\\.')} +\\S+ +None +TCP\\n`));
    expect(run(s, 'istioctl zc service --service-namespace demo').stdout).toMatch(/\ndemo {6}agent {8}10\.\d+\.\d+\.\d+ +None {5}1\/1\n/);
  });
  it('a ServiceEntry lists as a service per host and its endpoints as workloads named after it, on no node', () => {
    const s = fresh();
    // ambient/services.go: one service per host, named after the entry; workloads.go: one workload per
    // inline endpoint (by IP or hostname) or, for resolution DNS with none, per host; ipallocate: 240.240.0.0/16.
    const se = (name: string, spec: string) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: ${name}, namespace: demo }\nspec: ${spec}\n`;
    run(s, 'kubectl apply -f -', se('ext', '{ hosts: [api.example.com, www.example.com], ports: [{ number: 443, name: tls, protocol: TLS }], resolution: DNS }'));
    run(s, 'kubectl apply -f -', se('partner', '{ hosts: [partner.internal], ports: [{ number: 80, name: http, protocol: HTTP }], resolution: STATIC, endpoints: [{ address: 203.0.113.7 }] }'));
    const wl = run(s, 'istioctl zc workload --workload-namespace demo').stdout;
    expect(wl).toMatch(/\ndemo +ext +api\.example\.com +None +TCP\ndemo +ext +www\.example\.com +None +TCP\n/);
    expect(wl).toMatch(/\ndemo +partner +203\.0\.113\.7 +None +TCP\n/);
    const svc = run(s, 'istioctl zc service --service-namespace demo').stdout;
    expect(svc).toMatch(/\ndemo +ext +240\.240\.0\.1,2001:2::1 +None +1\/1\ndemo +ext +240\.240\.0\.2,2001:2::2 +None +1\/1\n/);
    expect(svc).toMatch(/\ndemo +partner +240\.240\.0\.3,2001:2::3 +None +1\/1\n/);
    const json = JSON.parse(run(s, 'istioctl zc workload --workload-namespace demo -o json').stdout) as { name: string; hostname?: string; workloadIps?: string[]; uid: string }[];
    expect(json.find((w) => w.hostname === 'api.example.com')).toMatchObject({ name: 'ext', uid: expect.stringMatching(/\/networking\.istio\.io\/ServiceEntry\/demo\/ext\/api\.example\.com$/) });
    expect(json.find((w) => w.name === 'partner')).toMatchObject({ workloadIps: ['203.0.113.7'] });
  });
  it('a wildcard ServiceEntry with no waypoint says it will not apply (istio.io/WaypointMissing), until bound', () => {
    const s = fresh();
    run(s, 'kubectl apply -f -', 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: wild, namespace: demo }\nspec: { hosts: ["*.example.com"], ports: [{ number: 80, name: http, protocol: HTTP }], resolution: DYNAMIC_DNS }\n');
    const conditions = () => JSON.parse(run(s, 'kubectl get se wild -n demo -o jsonpath={.status.conditions}').stdout || '[]') as { type: string; status: string; reason: string; message: string }[];
    expect(conditions()).toEqual([{ type: 'istio.io/WaypointMissing', status: 'True', reason: 'NoWaypointForWildcardService', message: 'ServiceEntry will not apply until it is bound to a valid waypoint.' }]);
    run(s, 'istioctl waypoint apply -n demo');
    run(s, 'kubectl label se wild -n demo istio.io/use-waypoint=waypoint');
    expect(conditions()).toEqual([{ type: 'istio.io/WaypointBound', status: 'True', reason: 'WaypointAccepted', message: 'Successfully attached to waypoint demo/waypoint' }]);
  });
  it('policy lists the policies ztunnel enforces (no targetRefs)', () => {
    const s = fresh();
    run(s, 'kubectl apply -f -', 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: allow-curl, namespace: demo }\nspec:\n  selector: { matchLabels: { app: echo } }\n  action: ALLOW\n');
    run(s, 'kubectl apply -f -', 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: l7, namespace: demo }\nspec:\n  targetRefs: [{ kind: Service, group: "", name: echo }]\n');
    expect(run(s, 'istioctl zc policy').stdout).toBe('NAMESPACE POLICY NAME ACTION SCOPE\ndemo      allow-curl  Allow  WorkloadSelector\n');
  });
  it('-o json dumps workloads', () => {
    const json = JSON.parse(run(fresh(), 'istioctl zc workload --workload-namespace demo -o json').stdout) as { name: string; protocol: string; serviceAccount: string }[];
    expect(json[0]).toMatchObject({ protocol: 'HBONE', serviceAccount: 'curl' });
  });
  it('analyze and version', () => {
    // istioctl/pkg/analyze/analyze.go: the message list goes to stdout (empty line), the all-clear to stderr.
    const clean = run(fresh(), 'istioctl analyze -n demo');
    expect(clean.stdout).toBe('\n');
    expect(clean.stderr).toBe('✔ No validation issues found when analyzing namespace: demo.\n');
    expect(clean.exitCode).toBe(0);
    expect(run(fresh(), 'istioctl version').stdout).toMatch(/^client version: 1\.\d+\.\d+\ncontrol plane version: 1\.\d+\.\d+\ndata plane version: 1\.\d+\.\d+ \(3 proxies\)\n$/);
  });
});

describe('istioctl proxy-status', () => {
  // istioctl 1.28's table (istioctl/pkg/writer/pilot/status.go): ztunnel watches workloads and
  // authorizations, Envoys (waypoints, gateways) clusters, listeners, endpoints and routes.
  it('lists every connected proxy, sorted, with the xDS types it subscribes to', () => {
    const s = fresh();
    const before = run(s, 'istioctl proxy-status').stdout.split('\n');
    expect(before[0]).toBe('NAME                           CLUSTER       ISTIOD                      VERSION     SUBSCRIBED TYPES');
    expect(before.slice(1, -1)).toHaveLength(3);
    for (const line of before.slice(1, -1)) expect(line).toMatch(/^ztunnel-[a-z0-9]{5}\.istio-system {5}cluster-1 {5}istiod-[a-z0-9]+-[a-z0-9]{5} {5}1\.28\.0 {6}2 \(WADS,WDS\)$/);
    run(s, 'istioctl waypoint apply -n demo --enroll-namespace --wait');
    const after = run(s, 'istioctl ps').stdout.split('\n');
    expect(after[1]).toMatch(/^waypoint-[a-z0-9]+-[a-z0-9]{5}\.demo {5}cluster-1 {5}istiod-\S+ {5}1\.28\.0 {6}4 \(CDS,LDS,EDS,RDS\)$/);
    expect(run(s, 'istioctl ps -n demo').stdout.trim().split('\n')).toHaveLength(2);
  });
  it('one proxy: the sync diff for an Envoy, none for ztunnel', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --wait');
    const pod = (prefix: string, ns: string) => run(s, `kubectl get pods -n ${ns} --no-headers`).stdout.split('\n').find((l) => l.startsWith(prefix))!.split(' ')[0]!;
    const waypoint = pod('waypoint-', 'demo');
    expect(run(s, `istioctl proxy-status ${waypoint}.demo`).stdout).toBe('Clusters Match\nListeners Match\nRoutes Match (RDS last loaded at Thu, 01 Jan 2026 00:00:00 UTC)\n');
    expect(run(s, `istioctl ps ${waypoint} -n demo`).exitCode).toBe(0);
    const ztunnel = pod('ztunnel-', 'istio-system');
    expect(run(s, `istioctl ps ${ztunnel}.istio-system`).stdout).toBe(`Sync diff is not available for ztunnel pod ${ztunnel}.istio-system\n`);
    expect(run(s, 'istioctl ps nope.demo')).toEqual({ stdout: '', stderr: 'Error: pods "nope" not found\n', exitCode: 1 });
  });
});

describe('istioctl ztunnel-config certificate', () => {
  // ztunnel's cert_fetcher.rs prefetches a certificate for each HBONE workload on its own node;
  // istiod signs it for 24 hours from 2 minutes before issue, under a 10-year self-signed root.
  const nodeOf = (s: ReturnType<typeof fresh>, prefix: string) =>
    run(s, 'kubectl get pods -n demo -o wide --no-headers').stdout.split('\n').find((l) => l.startsWith(prefix))!.trim().split(/\s+/)[6]!;
  it("lists the identities of the node's ambient workloads, each with its leaf and istiod's root", () => {
    const s = fresh();
    const out = run(s, `istioctl zc certificate --node ${nodeOf(s, 'echo-')}`).stdout.split('\n');
    expect(out[0]).toMatch(/^CERTIFICATE NAME {5,}TYPE {5}STATUS {8}VALID CERT {5}SERIAL NUMBER {5,}NOT AFTER {16}NOT BEFORE$/);
    const echo = out.filter((l) => l.startsWith('spiffe://cluster.local/ns/demo/sa/default '));
    expect(echo).toHaveLength(2);
    expect(echo[0]).toMatch(/ Leaf {5}Available {5}true {11}[0-9a-f]{25,32} +2026-01-02T00:00:00Z {5}2025-12-31T23:58:00Z$/);
    expect(echo[1]).toMatch(/ Root {5}Available {5}true {11}[0-9a-f]{25,32} +2035-12-30T00:00:00Z {5}2026-01-01T00:00:00Z$/);
  });
  it('renews a leaf at half its life, and needs one ztunnel named when there are several', () => {
    const s = fresh();
    s.advance(13 * 3600_000);
    const node = nodeOf(s, 'echo-');
    const leaf = run(s, `istioctl zc certs --node ${node}`).stdout.split('\n').find((l) => l.includes('/sa/default ') && l.includes(' Leaf '))!;
    expect(leaf).toMatch(/ 2026-01-02T12:00:00Z {5}2026-01-01T11:58:00Z$/);
    expect(run(s, 'istioctl zc certificate')).toEqual({ stdout: '', stderr: 'Error: ztunnel pod name or --node must be set\n', exitCode: 1 });
    const ztunnel = run(s, 'kubectl get pods -n istio-system -o wide --no-headers').stdout.split('\n').find((l) => l.startsWith('ztunnel-') && l.includes(` ${node} `))!.split(' ')[0]!;
    expect(run(s, `istioctl zc cert ${ztunnel}.istio-system`).stdout).toBe(run(s, `istioctl zc certificates --node ${node}`).stdout);
  });
});
