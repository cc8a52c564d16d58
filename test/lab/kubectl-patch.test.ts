// `kubectl patch` in the lab: the three patch types change what the mesh does (a container's
// answer, a Service's selector, an AuthorizationPolicy's rule), with kubectl's and the API
// server's messages for what they refuse.
import { describe, expect, it } from 'vitest';
import { DEMO } from './fixtures';
import { labScenario, labSession, run } from './helpers';

const fresh = () => labSession(labScenario(DEMO));
const curl = 'kubectl exec -n demo deploy/curl -- curl -s -o /dev/null -w %{http_code} http://echo';

const DENY_CURL = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-curl, namespace: demo }
spec:
  selector: { matchLabels: { app: echo } }
  action: DENY
  rules: [{ from: [{ source: { principals: [cluster.local/ns/demo/sa/curl] } }] }]
`;

describe('kubectl patch', () => {
  it('strategic merge (the default) merges containers by name: the new args roll out, the rest of the container stays', () => {
    const s = fresh();
    const patch = `'{"spec":{"template":{"spec":{"containers":[{"name":"echo","args":["-text=patched"]}]}}}}'`;
    expect(run(s, `kubectl patch deployment echo -n demo -p ${patch}`)).toEqual({ stdout: 'deployment.apps/echo patched\n', stderr: '', exitCode: 0 });
    expect(run(s, 'kubectl get deploy echo -n demo -o jsonpath={.spec.template.spec.containers[0].image}').stdout).toBe('hashicorp/http-echo');
    expect(run(s, 'kubectl exec -n demo deploy/curl -- curl -s http://echo').stdout).toBe('patched\n');
    expect(run(s, `kubectl patch deploy/echo -n demo -p ${patch}`).stdout).toBe('deployment.apps/echo patched (no change)\n');
  });

  it("a Service's selector: strategic adds a key, a JSON patch removes it, and traffic follows", () => {
    const s = fresh();
    expect(run(s, `kubectl patch svc echo -n demo -p '{"spec":{"selector":{"version":"v2"}}}'`).stdout).toBe('service/echo patched\n');
    expect(run(s, 'kubectl get svc echo -n demo -o jsonpath={.spec.selector}').stdout).toBe('{"app":"echo","version":"v2"}');
    expect(run(s, curl).stdout).not.toBe('200');
    expect(run(s, `kubectl patch svc echo -n demo --type=json -p '[{"op":"remove","path":"/spec/selector/version"}]'`).stdout).toBe('service/echo patched\n');
    expect(run(s, curl).stdout).toBe('200');
  });

  it('an AuthorizationPolicy takes merge and JSON patches; strategic is refused for a custom resource', () => {
    const s = fresh();
    expect(run(s, 'kubectl apply -f -', DENY_CURL).exitCode).toBe(0);
    expect(run(s, curl).stdout).not.toBe('200');
    expect(run(s, `kubectl patch authorizationpolicy deny-curl -n demo -p '{"spec":{"action":"AUDIT"}}'`)).toEqual({
      stdout: '',
      stderr:
        'error: application/strategic-merge-patch+json is not supported by security.istio.io/v1, Kind=AuthorizationPolicy: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
      exitCode: 1,
    });
    const other = `'[{"op":"replace","path":"/spec/rules/0/from/0/source/principals/0","value":"cluster.local/ns/demo/sa/other"}]'`;
    expect(run(s, `kubectl patch authorizationpolicy deny-curl -n demo --type json -p ${other}`).stdout).toBe('authorizationpolicy.security.istio.io/deny-curl patched\n');
    expect(run(s, curl).stdout).toBe('200');
    // Istio's validation refuses a DENY policy left with no rules: nothing changes.
    expect(run(s, `kubectl patch authorizationpolicy deny-curl -n demo --type merge -p '{"spec":{"rules":null}}'`)).toMatchObject({
      exitCode: 1,
      stderr: 'The AuthorizationPolicy "deny-curl" is invalid: spec.action: DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request\n',
    });
    expect(run(s, 'kubectl get authorizationpolicy deny-curl -n demo -o jsonpath={.spec.rules[0].from[0].source.principals[0]}').stdout).toBe('cluster.local/ns/demo/sa/other');
  });

  it('a patch the API server would refuse changes nothing', () => {
    const s = fresh();
    expect(run(s, 'kubectl apply -f -', DENY_CURL).exitCode).toBe(0);
    const bad = run(s, `kubectl patch authorizationpolicy deny-curl -n demo --type merge -p '{"spec":{"action":"FROB"}}'`);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^The AuthorizationPolicy "deny-curl" is invalid: spec\.action: /);
    expect(run(s, 'kubectl get authorizationpolicy deny-curl -n demo -o jsonpath={.spec.action}').stdout).toBe('DENY');
    expect(run(s, `kubectl patch svc echo -n demo --type json -p '[{"op":"replace","path":"/spec/nope","value":1}]'`)).toMatchObject({
      exitCode: 1,
      stderr: 'The request is invalid: : replace operation does not apply: doc is missing key: /spec/nope: missing value\n',
    });
    expect(run(s, `kubectl patch deploy echo -n demo -p '{"metadata":{"name":"other"}}'`).stderr).toBe(
      'Error from server (BadRequest): the name of the object (other) does not match the name on the URL (echo)\n',
    );
  });

  it("kubectl's own checks, and what it prints for -o, --dry-run and -f", () => {
    const s = fresh();
    expect(run(s, 'kubectl patch deploy echo -n demo')).toMatchObject({ exitCode: 1, stderr: 'error: must specify --patch or --patch-file containing the contents of the patch\n' });
    expect(run(s, `kubectl patch deploy echo -n demo --type strange -p {}`).stderr).toBe('error: --type must be one of [json merge strategic], not "strange"\n');
    expect(run(s, `kubectl patch deploy nope -n demo -p '{"spec":{}}'`).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(run(s, `kubectl patch deploy echo -n demo --type merge -p '[1]'`).stderr).toBe(
      'Error from server (BadRequest): error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}\n',
    );
    expect(run(s, `kubectl patch svc echo -n demo --type json -p '{"op":"add"}'`).stderr).toBe('Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n');
    expect(run(s, `kubectl patch svc echo -n demo -p 'null'`).stdout).toBe('service/echo patched (no change)\n');
    // kubectl reads the patch as YAML: JSON, or YAML itself.
    expect(run(s, `kubectl patch deploy echo -n demo --dry-run=client -p 'spec: {replicas: 5}'`).stdout).toBe('deployment.apps/echo patched (dry run)\n');
    expect(run(s, 'kubectl get deploy echo -n demo -o jsonpath={.spec.replicas}').stdout).toBe('2');
    expect(run(s, `kubectl patch deploy echo -n demo -o name -p 'spec: {replicas: 3}'`).stdout).toBe('deployment.apps/echo\n');
    expect(run(s, `kubectl patch deploy echo -n demo -o yaml -p 'spec: {replicas: 3}'`).stdout).toMatch(/\n {2}replicas: 3\n/);
    expect(run(s, 'kubectl get pods -n demo -l app=echo --no-headers').stdout.trim().split('\n')).toHaveLength(3);
    expect(run(s, `kubectl patch -f - -p '{"metadata":{"labels":{"tier":"web"}}}'`, 'apiVersion: v1\nkind: Service\nmetadata: { name: echo, namespace: demo }\n').stdout).toBe('service/echo patched\n');
    expect(run(s, 'kubectl get svc echo -n demo --show-labels --no-headers').stdout).toMatch(/app=echo,tier=web\n$/);
  });
});
