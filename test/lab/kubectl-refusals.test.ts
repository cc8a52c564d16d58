// `kubectl apply` / `create` of objects a real cluster refuses. The API server decodes each object
// strictly (an unknown field ends it: apimachinery's "strict decoding error"), then validates it
// (built-in rules, the CRD's OpenAPI schema and CEL rules: 422 "The Kind "name" is invalid"), then
// asks Istio's validating webhook; the first stage that finds a problem answers, and kubectl goes
// on with the file's other objects.
import { describe, expect, it } from 'vitest';
import { DEMO } from './fixtures';
import { labScenario, labSession, run } from './helpers';

const fresh = () => labSession(labScenario(DEMO));

/** An object of one of Istio's kinds in namespace demo; `spec` is its indented spec lines. */
const istio = (apiVersion: string, kind: string, name: string, spec: string) => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: demo
spec:
${spec}`;

const policy = (name: string, spec: string) => istio('security.istio.io/v1', 'AuthorizationPolicy', name, spec);

const serviceAccount = (name: string) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: demo
`;

describe('kubectl apply: objects the cluster refuses', () => {
  // apiextensions-apiserver prunes unknown fields and reports their paths sorted (sort.Strings).
  it('an unknown field is a strict decoding error, every unknown field named, sorted', () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('typo', '  rule:\n  - {}\n  foo: 1\n'));
    expect(r).toEqual({
      stdout: '',
      stderr: 'Error from server (BadRequest): error when creating "STDIN": AuthorizationPolicy in version "v1" cannot be handled as a AuthorizationPolicy: strict decoding error: unknown field "spec.foo", unknown field "spec.rule"\n',
      exitCode: 1,
    });
  });

  // apiextensions-apiserver's customResourceStrategy.Validate: an enum failure blocks the CRD's CEL
  // rules, and the server says so in a cause of its own (worded as a v1.33 server words it).
  it('a value the CRD schema refuses is a 422 Invalid under the kind and name; the CEL rules go unchecked', () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('allow-get-only', '  action: ALOW\n  selector:\n    matchLabels:\n      app: "*"\n'));
    expect(r.stderr).toBe(
      'The AuthorizationPolicy "allow-get-only" is invalid: \n' +
        '* spec.action: Unsupported value: "ALOW": supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM"\n' +
        '* <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation\n',
    );
    expect(r.exitCode).toBe(1);
  });

  it("a CEL rule of the CRD refuses before Istio's webhook is asked", () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('wild', '  selector:\n    matchLabels:\n      app: "*"\n  rules:\n  - from:\n    - source: {}\n'));
    expect(r.stderr).toBe('The AuthorizationPolicy "wild" is invalid: spec.selector.matchLabels[app]: Invalid value: "string": wildcard not allowed in label value match\n');
  });

  // A rule on a parent node is reported there (the CRD puts the one-of rule on spec).
  it('a CEL rule is reported at the node that carries it, with its type', () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('both', '  selector:\n    matchLabels:\n      app: echo\n  targetRefs:\n  - kind: Service\n    group: ""\n    name: echo\n'));
    expect(r.stderr).toBe('The AuthorizationPolicy "both" is invalid: spec: Invalid value: "object": only one of targetRefs or selector can be set\n');
    const se = istio('networking.istio.io/v1', 'ServiceEntry', 'ext', '  hosts: ["*"]\n  ports:\n  - { number: 80, name: http }\n  - { number: 80, name: http-2 }\n');
    expect(run(fresh(), 'kubectl apply -f -', se).stderr).toBe(
      'The ServiceEntry "ext" is invalid: \n* spec.hosts[0]: Invalid value: "string": hostname cannot be wildcard\n* spec.ports: Invalid value: "array": port number cannot be duplicated\n',
    );
  });

  // pkg/webhooks/validation/server: "configuration is invalid: <err>"; ValidateAuthorizationPolicy
  // prefixes each error with the policy, and go-multierror lists several (ending in a blank line).
  it("a rule of Istio's webhook is its denial, an AuthorizationPolicy's errors naming the policy", () => {
    const one = run(fresh(), 'kubectl apply -f -', policy('bad', '  rules:\n  - from:\n    - source: {}\n'));
    expect(one.stderr).toBe('Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: invalid policy bad.demo: `from.source` must not be empty, found at rule 0\n');
    const two = run(fresh(), 'kubectl apply -f -', policy('worse', '  rules:\n  - from:\n    - source: {}\n    to:\n    - operation: {}\n'));
    expect(two.stderr).toBe(
      'Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: 2 errors occurred:\n' +
        '\t* invalid policy worse.demo: `from.source` must not be empty, found at rule 0\n' +
        '\t* invalid policy worse.demo: `to.operation` must not be empty, found at rule 0\n\n',
    );
  });

  // security.ValidatePorts returns a go-multierror list, which stays one when it is the only error.
  it('a check that returns a list is listed even alone', () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('ports', '  rules:\n  - to:\n    - operation:\n        ports: ["http"]\n'));
    expect(r.stderr).toBe(
      'Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: 1 error occurred:\n' +
        '\t* invalid policy ports.demo: bad port (http): strconv.ParseUint: parsing "http": invalid syntax\n\n',
    );
  });

  // The webhook's validateMetadata checks the dry-run annotation before the policy and returns its error alone.
  it("a bad dry-run annotation is the webhook's only answer", () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('dry', '  rules:\n  - from:\n    - source: {}\n').replace('  namespace: demo\n', '  namespace: demo\n  annotations:\n    istio.io/dry-run: "yes"\n'));
    expect(r.stderr).toBe('Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: demo/dry has annotation istio.io/dry-run with invalid value (yes): strconv.ParseBool: parsing "yes": invalid syntax\n');
  });

  it("a RequestAuthentication's JWT rule errors are listed, without a prefix", () => {
    const ra = istio('security.istio.io/v1', 'RequestAuthentication', 'jwt', '  jwtRules:\n  - audiences: [a]\n');
    expect(run(fresh(), 'kubectl apply -f -', ra).stderr).toBe(
      'Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: 1 error occurred:\n\t* issuer or jwksUri must be non-empty string\n\n',
    );
  });

  it('other kinds are denied without a prefix', () => {
    const vs = istio('networking.istio.io/v1', 'VirtualService', 'weights', '  hosts: [echo]\n  http:\n  - route:\n    - destination: { host: echo }\n      weight: -1\n');
    expect(run(fresh(), 'kubectl apply -f -', vs).stderr).toBe('Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: weight -1 < 0\n');
  });

  // kubectl apply returns an aggregate when several objects fail; cmdutil prints each through
  // StandardErrorMessage, so a 422 shows the server's own message, its causes in brackets.
  it('among several failures a 422 is printed as the server words it', () => {
    const r = run(fresh(), 'kubectl apply -f -', [policy('enum', '  action: ALOW\n'), policy('bad', '  rules:\n  - from:\n    - source: {}\n')].join('---\n'));
    expect(r.stderr.split('\n')).toEqual([
      'Error from server (Invalid): error when creating "STDIN": AuthorizationPolicy.security.istio.io "enum" is invalid: [spec.action: Unsupported value: "ALOW": supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
      'Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: invalid policy bad.demo: `from.source` must not be empty, found at rule 0',
      '',
    ]);
  });

  it('decoding answers before validation: an object with both gets only the unknown field', () => {
    const r = run(fresh(), 'kubectl apply -f -', policy('both', '  action: ALOW\n  rule: []\n'));
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.rule"');
    expect(r.stderr).not.toContain('Unsupported value');
  });

  it("the file's other objects are still applied, in order, and the command fails", () => {
    const s = fresh();
    const r = run(s, 'kubectl apply -f -', [serviceAccount('one'), policy('bad', '  action: ALOW\n'), serviceAccount('two')].join('---\n'));
    expect(r.stdout).toBe('serviceaccount/one created\nserviceaccount/two created\n');
    expect(r.stderr).toMatch(/^The AuthorizationPolicy "bad" is invalid: /);
    expect(r.exitCode).toBe(1);
    expect(run(s, 'kubectl get sa one two -n demo -o name').stdout).toBe('serviceaccount/one\nserviceaccount/two\n');
    expect(run(s, 'kubectl get authorizationpolicy bad -n demo').exitCode).toBe(1);
  });

  it('an object without a kind stops kubectl before it sends anything', () => {
    const s = fresh();
    const r = run(s, 'kubectl apply -f -', `${serviceAccount('one')}---\napiVersion: v1\nmetadata:\n  name: nokind\n`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: STDIN:\d+:\d+: kind: Required value/);
    expect(run(s, 'kubectl get sa one -n demo').exitCode).toBe(1);
  });

  it("an update's schema failure is the same 422; its webhook errors are printed at their place in the file", () => {
    const s = fresh();
    expect(run(s, 'kubectl apply -f -', policy('p', '  action: DENY\n  rules:\n  - {}\n')).stdout).toBe('authorizationpolicy.security.istio.io/p created\n');
    expect(run(s, 'kubectl apply -f -', policy('p', '  action: ALOW\n')).stderr).toMatch(/^The AuthorizationPolicy "p" is invalid: \n\* spec\.action: Unsupported value/);
    expect(run(s, 'kubectl apply -f -', policy('p', '  rules:\n  - from:\n    - source: {}\n')).stderr).toBe('error: STDIN:9:15: spec.rules[0].from[0].source: `from.source` must not be empty, found at rule 0\n');
  });

  // ValidateAuthorizationPolicy returns warnings beside an admitted policy; the webhook server hands
  // each to the API server, and kubectl prints each as "Warning: ..." on stderr.
  it("an admitted object's webhook warnings are printed as kubectl prints them; an unchanged one is not sent", () => {
    const s = fresh();
    const deny = policy('deny-post', '  action: DENY\n  rules:\n  - to:\n    - operation:\n        methods: ["POST"]\n');
    const warning = 'Warning: configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port\n';
    expect(run(s, 'kubectl apply -f -', deny)).toEqual({ stdout: 'authorizationpolicy.security.istio.io/deny-post created\n', stderr: warning, exitCode: 0 });
    expect(run(s, 'kubectl apply -f -', deny)).toEqual({ stdout: 'authorizationpolicy.security.istio.io/deny-post unchanged\n', stderr: '', exitCode: 0 });
  });

  it('kubectl create refuses the same way', () => {
    const r = run(fresh(), 'kubectl create -f -', policy('typo', '  rule: []\n'));
    expect(r.stderr).toContain('Error from server (BadRequest): error when creating "STDIN": AuthorizationPolicy in version "v1" cannot be handled as a AuthorizationPolicy: strict decoding error: unknown field "spec.rule"');
  });
});
