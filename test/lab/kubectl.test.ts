// kubectl against a simulated cluster: columns and spacing as kubectl prints them, kubectl's
// messages and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO } from './fixtures';
import { labScenario, labSession, run } from './helpers';

const fresh = () => labSession(labScenario(DEMO));

/** Every line of a table with the variable cells (pod hashes, IPs) replaced. */
function shape(text: string): string {
  return text
    .replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '-HASH-XXXXX')
    .replace(/\b10\.\d+\.\d+\.\d+\b/g, 'IP');
}

describe('kubectl get', () => {
  it('pods: kubectl columns, padding 3, AGE from simulated time', () => {
    const s = fresh();
    s.advance(42_000);
    const r = run(s, 'kubectl get pods -n demo');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('NAME                    READY   STATUS    RESTARTS   AGE');
    expect(shape(lines[1]!)).toMatch(/^curl-HASH-XXXXX {3}1\/1 {5}Running {3}0 {10}42s$/);
    expect(lines).toHaveLength(5);
  });
  it('-o wide adds IP, NODE, NOMINATED NODE, READINESS GATES', () => {
    const r = run(fresh(), 'kubectl get po -n demo -o wide');
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME {20}READY {3}STATUS {4}RESTARTS {3}AGE {3}IP {11}NODE {5}NOMINATED NODE {3}READINESS GATES$/);
  });
  it('services', () => {
    const r = run(fresh(), 'kubectl get svc -n demo');
    // The ClusterIP's own width sets its column's.
    expect(shape(r.stdout)).toMatch(/^NAME {3}TYPE {8}CLUSTER-IP +EXTERNAL-IP {3}PORT\(S\) {3}AGE\necho {3}ClusterIP {3}IP +<none> {8}80\/TCP {4}0s\n$/);
  });
  it('deployments and namespaces', () => {
    const s = fresh();
    expect(run(s, 'kubectl get deploy -n demo').stdout).toBe('NAME   READY   UP-TO-DATE   AVAILABLE   AGE\ncurl   1/1     1            1           0s\necho   2/2     2            2           0s\n');
    expect(run(s, 'kubectl get ns demo --show-labels').stdout).toBe('NAME   STATUS   AGE   LABELS\ndemo   Active   0s    istio.io/dataplane-mode=ambient,kubernetes.io/metadata.name=demo\n');
  });
  it('-A adds NAMESPACE, -L adds label columns, -l filters', () => {
    const s = fresh();
    const r = run(s, 'kubectl get deploy -A -l app=echo -L app');
    expect(r.stdout).toBe('NAMESPACE   NAME   READY   UP-TO-DATE   AVAILABLE   AGE   APP\ndemo        echo   2/2     2            2           0s    echo\n');
  });
  it('-o name, jsonpath and yaml', () => {
    const s = fresh();
    expect(run(s, 'kubectl get deploy -n demo -o name').stdout).toBe('deployment.apps/curl\ndeployment.apps/echo\n');
    expect(run(s, "kubectl get deploy -n demo -o jsonpath={.items[*].metadata.name}").stdout).toBe('curl echo');
    expect(run(s, 'kubectl get svc echo -n demo -o yaml').stdout).toMatch(/^apiVersion: v1\nkind: Service\nmetadata:\n {2}creationTimestamp: "2026-01-01T00:00:00Z"\n/);
  });
  // cli-runtime's customcolumn.go: relaxed JSONPath fields, <none> for nothing found, several
  // values comma-separated in Go's %v form, kubectl's tab writer, --no-headers.
  it('-o custom-columns and custom-columns-file print the fields asked for', () => {
    const s = fresh();
    const deploys = run(s, 'kubectl get deploy -n demo -o custom-columns=NAME:.metadata.name,REPLICAS:spec.replicas,PORTS:{.spec.template.spec.containers[*].ports[*].containerPort},MISSING:.spec.paused');
    expect(deploys).toEqual({ stdout: 'NAME   REPLICAS   PORTS    MISSING\ncurl   1          <none>   <none>\necho   2          5678     <none>\n', stderr: '', exitCode: 0 });
    expect(run(s, 'kubectl get deploy echo -n demo --no-headers -o custom-columns=SELECTOR:.spec.selector.matchLabels').stdout).toBe('map[app:echo]\n');
    const cols = join(mkdtempSync(join(tmpdir(), 'cols-')), 'cols.txt');
    writeFileSync(cols, 'NAME  KIND\n.metadata.name  {.kind}\n');
    expect(run(s, `kubectl get svc echo -n demo -o custom-columns-file=${cols}`).stdout).toBe('NAME   KIND\necho   Service\n');
  });
  // printers.EscapeTerminal: a value cannot drive the terminal it is printed to (kubernetes#101695).
  it('-o custom-columns prints ESC as ^[ and CR as \\r', () => {
    const s = fresh();
    const file = join(mkdtempSync(join(tmpdir(), 'esc-')), 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: esc\n  namespace: demo\n  annotations:\n    note: "\\e[31mred\\rover"\n');
    expect(run(s, `kubectl apply -f ${file}`).exitCode).toBe(0);
    expect(run(s, 'kubectl get configmap esc -n demo --no-headers -o custom-columns=NOTE:.metadata.annotations.note').stdout).toBe('^[[31mred\\rover\n');
  });
  it.each([
    ['custom-columns', 'error: custom-columns format specified but no custom columns given\n'],
    ['custom-columns=NAME', 'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n'],
    ['custom-columns=NAME:{.a}{.b}', "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n"],
  ])('-o %s is refused as kubectl refuses it', (spec, stderr) => {
    expect(run(fresh(), `kubectl get deploy -n demo -o ${spec}`)).toEqual({ stdout: '', stderr, exitCode: 1 });
  });
  it('nothing found goes to stderr with exit 0', () => {
    expect(run(fresh(), 'kubectl get pods')).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', exitCode: 0 });
  });
  it.each([
    ['kubectl get foo', 'error: the server doesn\'t have a resource type "foo"\n'],
    ['kubectl get pods nope -n demo', 'Error from server (NotFound): pods "nope" not found\n'],
    ['kubectl get deploy nope', 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    ['kubectl get pods --foo', "error: unknown flag: --foo\nSee 'kubectl --help' for usage.\n"],
    ['kubectl frobnicate', 'error: unknown command "frobnicate" for "kubectl"\n\nRun \'kubectl --help\' for usage.\n'],
    // Real commands a guide uses: named as not emulated, not as unknown.
    ['kubectl port-forward svc/bookinfo-gateway-istio 8080:80', 'error: meshsim does not emulate "kubectl port-forward"\n'],
    ['kubectl kustomize github.com/kubernetes-sigs/gateway-api/config/crd', 'error: meshsim does not emulate "kubectl kustomize"\n'],
    ['kubectl get pods --context nowhere', 'error: context was not found for specified context: nowhere\n'],
  ])('%s fails in kubectl\'s words', (line, stderr) => {
    expect(run(fresh(), line)).toMatchObject({ stderr, exitCode: 1 });
  });
});

describe("what Istio's ambient install leaves in the cluster", () => {
  it('istio-system runs istio-cni-node (host network) and ztunnel on every Linux node, and istiod', () => {
    const s = fresh();
    const pods = run(s, 'kubectl get pods -n istio-system -o wide').stdout.split('\n').slice(1, -1);
    const nodes = run(s, 'kubectl get nodes -o wide').stdout.split('\n').slice(1, -1).map((l) => l.split(/ +/));
    const cni = pods.filter((l) => l.startsWith('istio-cni-node-')).map((l) => l.split(/ +/));
    expect(cni).toHaveLength(nodes.length);
    // A host-network pod shows its node's address as its own.
    for (const c of cni) expect(nodes.find((n) => n[0] === c[6])![5]).toBe(c[5]);
    expect(pods.filter((l) => l.startsWith('ztunnel-'))).toHaveLength(nodes.length);
    expect(pods.filter((l) => l.startsWith('istiod-'))).toHaveLength(1);
    expect(run(s, 'kubectl get ds istio-cni-node -n istio-system').stdout).toMatch(/NODE SELECTOR +AGE\nistio-cni-node +3 +3 +3 +3 +3 +kubernetes\.io\/os=linux +0s\n$/);
  });
  it("the Gateway API's and Istio's CRDs are installed, so the guide's check for them passes", () => {
    const s = fresh();
    expect(run(s, 'kubectl get crd gateways.gateway.networking.k8s.io')).toEqual({
      stdout: 'NAME                                 CREATED AT\ngateways.gateway.networking.k8s.io   2026-01-01T00:00:00Z\n',
      stderr: '',
      exitCode: 0,
    });
    const names = run(s, 'kubectl get crd -o name').stdout;
    for (const crd of ['httproutes.gateway.networking.k8s.io', 'authorizationpolicies.security.istio.io', 'gateways.networking.istio.io', 'virtualservices.networking.istio.io']) {
      expect(names).toContain(`customresourcedefinition.apiextensions.k8s.io/${crd}\n`);
    }
  });
  it("deleting Istio's CRDs (the cleanup page's command) deletes their objects and stops serving their kinds", () => {
    const s = fresh();
    const deny = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: deny-all, namespace: demo }\nspec: { action: DENY, rules: [{}] }\n';
    run(s, 'kubectl apply -f -', deny);
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo').exitCode).toBe(56);
    const crds = run(s, 'kubectl get crd -oname').stdout.split('\n').filter((l) => l.includes('istio.io'));
    expect(run(s, `kubectl delete ${crds.join(' ')}`)).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('customresourcedefinition.apiextensions.k8s.io "authorizationpolicies.security.istio.io" deleted\n') });
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo').stdout).toBe('hello\n');
    expect(run(s, 'kubectl get authorizationpolicies -A')).toMatchObject({ exitCode: 1, stderr: 'error: the server doesn\'t have a resource type "authorizationpolicies"\n' });
    expect(run(s, 'kubectl apply -f -', deny).stderr).toContain('no matches for kind "AuthorizationPolicy" in version "security.istio.io/v1"');
    expect(run(s, 'kubectl get httproutes -A').exitCode).toBe(0);
  });
});

describe('what a kind cluster answers for what meshsim does not simulate', () => {
  it('events: a known type with none recorded', () => {
    expect(run(fresh(), 'kubectl get events')).toMatchObject({ exitCode: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(run(fresh(), 'kubectl get ev -A')).toMatchObject({ exitCode: 0, stderr: 'No resources found\n' });
  });
  it('top: no metrics-server', () => {
    expect(run(fresh(), 'kubectl top pods')).toMatchObject({ exitCode: 1, stderr: 'error: Metrics API not available\n' });
  });
});

describe('kubectl apply / label / annotate / delete', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: demo\ndata:\n  a: "1"\n';
  it("apply removes the labels and annotations its last apply wrote and this one drops, and keeps those others wrote", () => {
    const s = fresh();
    const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { ${labels} }\n  annotations: { note: first }\n`;
    run(s, 'kubectl apply -f -', ns('istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint'));
    run(s, 'kubectl label namespace shop team=payments');
    expect(run(s, 'kubectl apply -f -', ns('istio.io/dataplane-mode: ambient').replace('  annotations: { note: first }\n', '')).stdout).toBe('namespace/shop configured\n');
    const got = run(s, 'kubectl get namespace shop -o jsonpath={.metadata.labels}').stdout;
    expect(JSON.parse(got)).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'kubernetes.io/metadata.name': 'shop', team: 'payments' });
    expect(run(s, 'kubectl get namespace shop -o jsonpath={.metadata.annotations}').stdout).toBe('');
  });
  it('apply -f - creates, then is unchanged, then configured', () => {
    const s = fresh();
    expect(run(s, 'kubectl apply -f -', cm).stdout).toBe('configmap/c created\n');
    expect(run(s, 'kubectl apply -f -', cm).stdout).toBe('configmap/c unchanged\n');
    expect(run(s, 'kubectl apply -f -', cm.replace('"1"', '"2"')).stdout).toBe('configmap/c configured\n');
  });
  it('apply reports manifest errors with file:line:col', () => {
    const r = run(fresh(), 'kubectl apply -f -', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: 7\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: STDIN:6:\d+: /);
  });
  it('an empty stream and a missing file fail in kubectl\'s words; delete of nothing says so', () => {
    expect(run(fresh(), 'kubectl apply -f -', '')).toEqual({ stdout: '', stderr: 'error: no objects passed to apply\n', exitCode: 1 });
    expect(run(fresh(), 'kubectl create -f -', '---\n')).toEqual({ stdout: '', stderr: 'error: no objects passed to create\n', exitCode: 1 });
    expect(run(fresh(), 'kubectl apply -f nosuchfile.yaml')).toEqual({ stdout: '', stderr: 'error: the path "nosuchfile.yaml" does not exist\n', exitCode: 1 });
    expect(run(fresh(), 'kubectl delete -f nosuchfile.yaml').stderr).toBe('error: the path "nosuchfile.yaml" does not exist\n');
    expect(run(fresh(), 'kubectl delete -f -', '')).toEqual({ stdout: 'No resources found\n', stderr: '', exitCode: 0 });
  });
  it('a type the API server does not serve is refused as kubectl refuses it; the rest of the stream is applied', () => {
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: demo\n';
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { kind: Widget, plural: widgets }\n  versions: [{ name: v1, served: true, storage: true }]\n';
    const s = fresh();
    const r = run(s, 'kubectl apply -f -', `${widget}---\napiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: demo\n---\napiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: old\n---\n${cm}`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('configmap/c created\n');
    expect(r.stderr).toBe(
      'error: resource mapping not found for name: "w" namespace: "demo" from "STDIN": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n' +
        'error: resource mapping not found for name: "d" namespace: "demo" from "STDIN": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first\n' +
        'error: resource mapping not found for name: "old" namespace: "" from "STDIN": no matches for kind "Deployment" in version "apps/v1beta2"\nensure CRDs are installed first\n',
    );
    // kubectl maps every object before applying any: the CRD in the same stream does not count yet.
    expect(run(s, 'kubectl apply -f -', `${crd}---\n${widget}`).stderr).toContain('no matches for kind "Widget" in version "example.com/v1"');
    expect(run(s, 'kubectl apply -f -', widget)).toMatchObject({ exitCode: 0, stdout: 'widget.example.com/w created\n' });
    const stray = run(fresh(), 'kubectl delete -f -', widget);
    expect(stray.exitCode).toBe(1);
    expect(stray.stderr).toContain('error: resource mapping not found for name: "w" namespace: "demo" from "STDIN": no matches for kind "Widget"');
  });
  it('label, overwrite and removal', () => {
    const s = fresh();
    expect(run(s, 'kubectl label ns demo team=a').stdout).toBe('namespace/demo labeled\n');
    expect(run(s, 'kubectl label ns demo team=b')).toMatchObject({ exitCode: 1, stderr: "error: 'team' already has a value (a), and --overwrite is false\n" });
    expect(run(s, 'kubectl label ns demo team=b --overwrite').stdout).toBe('namespace/demo labeled\n');
    expect(run(s, 'kubectl label ns demo team-').stdout).toBe('namespace/demo unlabeled\n');
    expect(run(s, 'kubectl annotate svc echo -n demo note=x').stdout).toBe('service/echo annotated\n');
  });
  it('delete by name, by selector, and not found', () => {
    const s = fresh();
    expect(run(s, 'kubectl delete svc echo -n demo').stdout).toBe('service "echo" deleted from demo namespace\n');
    expect(run(s, 'kubectl delete deploy -n demo -l app=echo').stdout).toBe('deployment.apps "echo" deleted from demo namespace\n');
    expect(run(s, 'kubectl delete svc echo -n demo')).toMatchObject({ exitCode: 1, stderr: 'Error from server (NotFound): services "echo" not found\n' });
  });
});

describe('kubectl scale', () => {
  it('sets replicas: pods go and come back, the Service follows, and curl sees it', () => {
    const s = fresh();
    expect(run(s, 'kubectl scale deployment echo -n demo --replicas=0')).toMatchObject({ exitCode: 0, stdout: 'deployment.apps/echo scaled\n' });
    expect(run(s, 'kubectl get deploy echo -n demo').stdout).toMatch(/\necho +0\/0 +0 +0 /);
    expect(run(s, 'istioctl zc service --service-namespace demo').stdout).toMatch(/\ndemo +echo +\S+ +None +0\/0\n/);
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s -o /dev/null -w %{http_code} http://echo').stdout).not.toBe('200');
    expect(run(s, 'kubectl -n demo scale --replicas=3 deploy/echo').stdout).toBe('deployment.apps/echo scaled\n');
    expect(run(s, 'kubectl get pods -n demo -l app=echo --no-headers').stdout.trim().split('\n')).toHaveLength(3);
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo').stdout).toBe('hello\n');
  });
  it("checks kubectl's preconditions and flags", () => {
    const s = fresh();
    expect(run(s, 'kubectl scale deployment echo -n demo')).toMatchObject({ exitCode: 1, stderr: 'error: required flag(s) "replicas" not set\n' });
    expect(run(s, 'kubectl scale deployment echo -n demo --replicas=-1').stderr).toBe('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
    expect(run(s, 'kubectl scale deployment echo -n demo --current-replicas=3 --replicas=1')).toMatchObject({ exitCode: 1, stderr: 'error: Expected replicas to be 3, was 2\n' });
    expect(run(s, 'kubectl scale deployment nope -n demo --replicas=1')).toMatchObject({ exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
    expect(run(s, 'kubectl scale deployment echo -n demo --current-replicas=2 --replicas=1').stdout).toBe('deployment.apps/echo scaled\n');
  });
});

describe('kubectl rollout restart', () => {
  const echoPods = (s: ReturnType<typeof fresh>) => run(s, 'kubectl get pods -n demo -l app=echo --no-headers').stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
  it("patches the template's restartedAt annotation: new pods roll out, and curl still answers", () => {
    const s = fresh();
    const before = echoPods(s);
    s.advance(5_000);
    expect(run(s, 'kubectl rollout restart deployment/echo -n demo')).toEqual({ stdout: 'deployment.apps/echo restarted\n', stderr: '', exitCode: 0 });
    expect(run(s, "kubectl get deploy echo -n demo -o jsonpath={.spec.template.metadata.annotations['kubectl\\.kubernetes\\.io/restartedAt']}").stdout).toBe('2026-01-01T00:00:05Z');
    expect(run(s, 'kubectl rollout status deploy/echo -n demo').exitCode).toBe(0);
    const after = echoPods(s);
    expect(after).toHaveLength(2);
    expect(after.some((p) => before.includes(p))).toBe(false);
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo').stdout).toBe('hello\n');
  });
  it('refuses a second restart within the same second, as kubectl does; restarts every Deployment of the namespace', () => {
    const s = fresh();
    run(s, 'kubectl rollout restart deploy echo -n demo');
    expect(run(s, 'kubectl rollout restart deploy echo -n demo')).toMatchObject({
      exitCode: 1,
      stderr: 'error: failed to create patch for echo: if restart has already been triggered within the past second, please wait before attempting to trigger another\n',
    });
    s.advance(1_000);
    expect(run(s, 'kubectl rollout restart deployment -n demo').stdout).toBe('deployment.apps/curl restarted\ndeployment.apps/echo restarted\n');
  });
  it.each([
    ['kubectl rollout restart svc/echo -n demo', 'error: services "echo" restarting is not supported\n'],
    ['kubectl rollout restart deploy/nope -n demo', 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    ['kubectl rollout undo deploy/echo -n demo', 'error: meshsim does not emulate "kubectl rollout undo"\n'],
  ])('%s', (line, stderr) => {
    expect(run(fresh(), line)).toMatchObject({ exitCode: 1, stderr });
  });
});

describe('kubectl exec', () => {
  it('curl through the mesh; failures add "command terminated with exit code N"', () => {
    const s = fresh();
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo')).toEqual({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://nope')).toEqual({ stdout: '', stderr: 'command terminated with exit code 6\n', exitCode: 6 });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]).toMatchObject({ outcome: 'response', status: 200, from: { namespace: 'demo' } });
  });
  it.each([
    ['kubectl exec -n demo deploy/curl -- wget x', 126, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "wget": executable file not found in $PATH: unknown\ncommand terminated with exit code 126\n'],
    ['kubectl exec -n demo deploy/curl curl x', 1, "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"],
    // Without `--`, curl's -s is kubectl's own --server flag: the same error, not an unknown flag.
    ['kubectl exec -n demo deploy/curl curl -s http://echo', 1, "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"],
    ['kubectl exec -n demo deploy/nope -- curl x', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n'],
  ])('%s', (line, code, stderr) => {
    expect(run(fresh(), line)).toMatchObject({ exitCode: code, stderr });
  });
  it('echo and hostname answer from the pod', () => {
    const s = fresh();
    expect(run(s, 'kubectl exec -n demo deploy/curl -- echo hi there').stdout).toBe('hi there\n');
    expect(run(s, 'kubectl exec -n demo deploy/curl -- hostname').stdout).toMatch(/^curl-[a-z0-9]+-[a-z0-9]{5}\n$/);
  });
  it('sh -c is handed back to run in a local shell as the pod', () => {
    const r = run(fresh(), "kubectl exec -n demo deploy/curl -- sh -c 'curl -s echo'");
    expect(r.delegate?.argv).toEqual(['/bin/sh', '-c', 'curl -s echo']);
    expect(r.delegate?.pod).toMatch(/^cluster-1\/demo\/curl-/);
  });
});

describe('kubectl rollout, wait, logs, config, version', () => {
  it('rollout status and wait', () => {
    const s = fresh();
    expect(run(s, 'kubectl rollout status deployment/echo -n demo').stdout).toBe('deployment "echo" successfully rolled out\n');
    expect(run(s, 'kubectl wait --for=condition=Available deployment/echo -n demo').stdout).toBe('deployment.apps/echo condition met\n');
    expect(run(s, 'kubectl wait --for=condition=Ready pod -l app=echo -n demo').stdout).toMatch(/^pod\/echo-\S+ condition met\npod\/echo-\S+ condition met\n$/);
    expect(run(s, 'kubectl wait --for=condition=Nope deployment/echo -n demo --timeout=3s')).toMatchObject({ exitCode: 1, stderr: 'error: timed out waiting for the condition on deployments.apps/echo\n' });
  });
  it('waypoint logs show the requests it carried; ztunnel logs show connections', () => {
    const s = fresh();
    run(s, 'istioctl waypoint apply -n demo --enroll-namespace --wait');
    run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo/x');
    expect(run(s, 'kubectl logs -n demo deploy/waypoint').stdout).toMatch(/^\[2026-01-01T00:00:\d\d\.\d{3}Z\] "GET \/x HTTP\/1\.1" 200 - via_upstream .*"curl\/8\.11\.1".*"echo:80"/);
    const node = s.requests[0]!.from.node;
    const zt = s.world.view('cluster-1').ztunnelByNode.get(node)!;
    expect(run(s, `kubectl logs -n istio-system ${zt.name}`).stdout).toMatch(/\tinfo\taccess\tconnection complete\t.*direction="outbound"/);
  });
  it('contexts are the clusters', () => {
    const s = fresh();
    expect(run(s, 'kubectl config current-context').stdout).toBe('cluster-1\n');
    expect(run(s, 'kubectl config get-contexts').stdout).toBe('CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n*         cluster-1   cluster-1   cluster-1   \n');
    expect(run(s, 'kubectl config use-context other')).toMatchObject({ exitCode: 1, stderr: 'error: no context exists with the name: "other"\n' });
    expect(run(s, 'kubectl version').stdout).toMatch(/^Client Version: v1\.\d+\.\d+\nKustomize Version: v\d+\.\d+\.\d+\nServer Version: v1\.\d+\.\d+\n$/);
  });
  it('describe pod shows the common fields aligned like kubectl', () => {
    const out = run(fresh(), 'kubectl describe deploy curl -n demo').stdout;
    expect(out).toMatch(/^Name: {19}curl\nNamespace: {14}demo\n/);
    expect(out).toContain('Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable\n');
  });
});
