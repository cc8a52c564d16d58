// Each validation rule, as a table: a manifest that breaks it, and the issue it must produce
// (path inside the object, message, severity).
import { describe, expect, it } from 'vitest';
import type { PathIssue } from '../../src/k8s/issues';
import { validateObject } from '../../src/k8s/validate';
import { docs } from './samples';

type Case = [name: string, manifest: string, path: (string | number)[], message: string, severity?: 'error' | 'warning'];

function check(cases: Case[]) {
  for (const [name, manifest, path, message, severity = 'error'] of cases) {
    it(name, () => {
      const issues = validateObject(docs(manifest)[0]);
      const hit = issues.find((i: PathIssue) => JSON.stringify(i.path) === JSON.stringify(path) && i.message.includes(message));
      expect(hit, `issues were: ${JSON.stringify(issues, null, 1)}`).toBeDefined();
      expect(hit!.severity).toBe(severity);
    });
  }
}

const deploy = (spec: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx }]
${spec}`;

const ap = (spec: string, meta = '{ name: p, namespace: foo }') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: ${meta}
spec:
${spec}`;

const rule = (body: string) => ap(`  rules:\n  - ${body}`);

describe('object identity and unmodelled kinds', () => {
  check([
    ['missing apiVersion', 'kind: Pod\nmetadata: { name: a }', ['apiVersion'], 'apiVersion: Required value'],
    ['missing kind', 'apiVersion: v1\nmetadata: { name: a }', ['kind'], 'kind: Required value'],
    ['missing metadata.name', 'apiVersion: v1\nkind: Pod\nmetadata: { namespace: a }', ['metadata', 'name'], 'metadata.name: Required value'],
    ['unknown kind is kept with a warning', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { k: v }', [], 'ConfigMap v1 is not simulated by meshsim; it is kept but has no effect', 'warning'],
    ['unserved version of a known kind', 'apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: { name: a }', [], 'Deployment apps/v1beta2 is not simulated by meshsim', 'warning'],
  ]);
});

describe('core and apps (kubectl strict validation)', () => {
  check([
    ['unknown field, in kubectl words', deploy('  replicaz: 3'), ['spec', 'replicaz'], 'unknown field "spec.replicaz"'],
    ['unknown nested container field', deploy('').replace('image: nginx', 'image: nginx, imagePullPolicyy: Always'), ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicyy'], 'unknown field "spec.template.spec.containers[0].imagePullPolicyy"'],
    ['unknown metadata field', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labelz: {} }', ['metadata', 'labelz'], 'unknown field "metadata.labelz"'],
    ['replicas must be an integer', deploy('  replicas: "3"'), ['spec', 'replicas'], 'spec.replicas: must be a number, got string "3"'],
    ['selector must match template labels', deploy('').replace('matchLabels: { app: web }', 'matchLabels: { app: other }'), ['spec', 'template', 'metadata', 'labels'], '`selector` does not match template `labels`'],
    ['container name is a DNS-1123 label', deploy('').replace('name: web, image', 'name: Web_1, image'), ['spec', 'template', 'spec', 'containers', 0, 'name'], 'Invalid value: "Web_1": a lowercase RFC 1123 label'],
    ['containers required', 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec: {}', ['spec', 'containers'], 'spec.containers: Required value'],
    ['duplicate container names', 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec: { containers: [{ name: a }, { name: a }] }', ['spec', 'containers', 1, 'name'], 'Duplicate value: "a"'],
    ['metadata.name is a DNS-1123 subdomain', 'apiVersion: v1\nkind: Pod\nmetadata: { name: My_Pod }\nspec: { containers: [{ name: a }] }', ['metadata', 'name'], 'metadata.name: Invalid value: "My_Pod"'],
    ['label value syntax', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { app: "a b" } }', ['metadata', 'labels', 'app'], 'a valid label must be an empty string'],
    ['Service port range', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 70000 }] }', ['spec', 'ports', 0, 'port'], 'spec.ports[0].port: must be between 1 and 65535, got 70000'],
    ['Service targetPort name must be an IANA name', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80, targetPort: "http_web" }] }', ['spec', 'ports', 0, 'targetPort'], 'IANA service name'],
    ['Service ports need names when there are several', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80, name: a }, { port: 81 }] }', ['spec', 'ports', 1, 'name'], 'Required value'],
    ['Service port names unique', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80, name: a }, { port: 81, name: a }] }', ['spec', 'ports', 1, 'name'], 'Duplicate value: "a"'],
    ['Service needs ports unless headless or ExternalName', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { selector: { app: a } }', ['spec', 'ports'], 'spec.ports: Required value'],
    ['ExternalName needs externalName', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { type: ExternalName }', ['spec', 'externalName'], 'Required value'],
    ['Service type enum', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { type: Internal, ports: [{ port: 80 }] }', ['spec', 'type'], 'Unsupported value: "Internal": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"'],
    ['trafficDistribution enum', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { trafficDistribution: Nearest, ports: [{ port: 80 }] }', ['spec', 'trafficDistribution'], 'Unsupported value: "Nearest"'],
    ['Service name is a DNS-1035 label', 'apiVersion: v1\nkind: Service\nmetadata: { name: 1web }\nspec: { ports: [{ port: 80 }] }', ['metadata', 'name'], 'DNS-1035 label'],
    ['EndpointSlice address must match addressType', 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: { name: e }\naddressType: IPv4\nendpoints: [{ addresses: ["fd00::1"] }]', ['endpoints', 0, 'addresses', 0], 'must be a valid IPv4 address'],
    ['matchExpressions In needs values', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: d }\nspec:\n  selector: { matchExpressions: [{ key: app, operator: In }] }\n  template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a }] } }', ['spec', 'selector', 'matchExpressions', 0, 'values'], 'Required value'],
  ]);

  it('reports every problem in one object, not just the first', () => {
    const issues = validateObject(docs(deploy('  replicaz: 3\n  paused: true\n  strategy: {}\n  bogus: 1'))[0]);
    expect(issues.map((i) => i.path.join('.'))).toEqual(['spec.replicaz', 'spec.bogus']);
  });
});

describe('Gateway API (CRD validation)', () => {
  const route = (rules: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r }\nspec:\n  parentRefs: [{ name: gw }]\n  rules:\n${rules}`;
  const gw = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: g }\nspec:\n  gatewayClassName: istio\n  listeners:\n${listeners}`;
  check([
    ['path value must start with /', route('  - matches: [{ path: { type: PathPrefix, value: api } }]'), ['spec', 'rules', 0, 'matches', 0, 'path', 'value'], "value must be an absolute path and start with '/'"],
    ['path must not contain //', route('  - matches: [{ path: { type: Exact, value: /a//b } }]'), ['spec', 'rules', 0, 'matches', 0, 'path', 'value'], "must not contain '//'"],
    ['backend weight at most 1000000', route('  - backendRefs: [{ name: a, port: 80, weight: 1000001 }]'), ['spec', 'rules', 0, 'backendRefs', 0, 'weight'], 'must be between 0 and 1000000, got 1000001'],
    ['Service backendRef needs a port', route('  - backendRefs: [{ name: a }]'), ['spec', 'rules', 0, 'backendRefs', 0, 'port'], 'Must have port for Service reference'],
    ['filter type must carry its field', route('  - filters: [{ type: RequestHeaderModifier }]'), ['spec', 'rules', 0, 'filters', 0, 'type'], 'filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type'],
    ['redirect filter with backendRefs', route('  - filters: [{ type: RequestRedirect, requestRedirect: { scheme: https } }]\n    backendRefs: [{ name: a, port: 80 }]'), ['spec', 'rules', 0, 'filters'], 'RequestRedirect filter must not be used together with backendRefs'],
    ['method enum', route('  - matches: [{ method: FETCH }]'), ['spec', 'rules', 0, 'matches', 0, 'method'], 'Unsupported value: "FETCH"'],
    ['timeout format', route('  - timeouts: { request: 1.5s }'), ['spec', 'rules', 0, 'timeouts', 'request'], 'must match ^([0-9]{1,5}(h|m|s|ms)){1,4}$'],
    ['parentRefs at most 32', `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r }\nspec:\n  parentRefs: [${Array.from({ length: 33 }, (_, i) => `{ name: g${i} }`).join(', ')}]`, ['spec', 'parentRefs'], 'Too many: 33: must have at most 32 items'],
    ['same parent twice needs sectionName', `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r }\nspec:\n  parentRefs: [{ name: g }, { name: g }]`, ['spec', 'parentRefs', 1], 'sectionName must be specified when parentRefs includes 2 or more references to the same parent'],
    ['hostname syntax', `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r }\nspec:\n  hostnames: ["Foo.com"]`, ['spec', 'hostnames', 0], 'Invalid value: "Foo.com"'],
    ['listeners 1..64', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: g }\nspec: { gatewayClassName: istio, listeners: [] }', ['spec', 'listeners'], 'spec.listeners: must have at least 1 item'],
    ['replicas must be whole', deploy('  replicas: 1.5'), ['spec', 'replicas'], 'spec.replicas: must be an integer'],
    ['listener port range', gw('  - { name: a, port: 0, protocol: HTTP }'), ['spec', 'listeners', 0, 'port'], 'must be between 1 and 65535, got 0'],
    ['listener names unique', gw('  - { name: a, port: 80, protocol: HTTP }\n  - { name: a, port: 81, protocol: HTTP }'), ['spec', 'listeners', 1, 'name'], 'Listener name must be unique within the Gateway'],
    ['no tls on HTTP listener', gw('  - { name: a, port: 80, protocol: HTTP, tls: { mode: Terminate, certificateRefs: [{ name: c }] } }'), ['spec', 'listeners', 0, 'tls'], "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"],
    ['gatewayClassName required', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: g }\nspec: { listeners: [{ name: a, port: 80, protocol: HTTP }] }', ['spec', 'gatewayClassName'], 'Required value'],
    ['TCPRoute rules need backendRefs', 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: { name: t }\nspec: { rules: [{}] }', ['spec', 'rules', 0, 'backendRefs'], 'Required value'],
    ['TLSRoute v1 requires hostnames', 'apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: { name: t }\nspec: { rules: [{ backendRefs: [{ name: a, port: 443 }] }] }', ['spec', 'hostnames'], 'Required value'],
    ['GRPC method match needs service or method', 'apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: { name: g }\nspec: { rules: [{ matches: [{ method: { type: Exact } }] }] }', ['spec', 'rules', 0, 'matches', 0, 'method'], "One or both of 'service' or 'method' must be specified"],
  ]);
});

describe('AuthorizationPolicy (Istio validation)', () => {
  check([
    ['selector and targetRefs exclude each other', ap('  selector: { matchLabels: { app: a } }\n  targetRefs: [{ kind: Service, group: "", name: a }]'), ['spec', 'targetRefs'], 'only one of targetRefs or selector can be set'],
    ['DENY without rules', ap('  action: DENY'), ['spec', 'action'], 'DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request'],
    ['CUSTOM without rules', ap('  action: CUSTOM\n  provider: { name: ext }'), ['spec', 'action'], 'CUSTOM action without `rules` is meaningless'],
    ['CUSTOM needs provider.name', ap('  action: CUSTOM\n  rules: [{}]'), ['spec', 'provider'], '`provider.name` must not be empty'],
    ['provider only with CUSTOM', ap('  action: ALLOW\n  provider: { name: ext }\n  rules: [{}]'), ['spec', 'provider'], '`provider` must not be with non CUSTOM action, found ALLOW'],
    ['CUSTOM forbids principals', ap('  action: CUSTOM\n  provider: { name: ext }\n  rules: [{ from: [{ source: { principals: [a] } }] }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'principals'], 'From.Principals is currently not supported with CUSTOM action'],
    ['CUSTOM forbids request.auth when keys', ap('  action: CUSTOM\n  provider: { name: ext }\n  rules: [{ when: [{ key: "request.auth.claims[iss]", values: [a] }] }]'), ['spec', 'rules', 0, 'when', 0, 'key'], 'request.auth.claims[iss] is currently not supported with CUSTOM action'],
    ['empty principal', rule('from: [{ source: { principals: ["a", ""] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'principals', 1], 'empty value not allowed, found in Principals'],
    ['empty namespace', rule('from: [{ source: { namespaces: [""] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'namespaces', 0], 'empty value not allowed, found in Namespaces'],
    ['empty requestPrincipal', rule('from: [{ source: { requestPrincipals: [""] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'requestPrincipals', 0], 'empty value not allowed, found in RequestPrincipals'],
    ['trust domain wildcard in the middle', rule('from: [{ source: { trustDomains: ["a*b"] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'trustDomains', 0], 'wildcard is only allowed at the start or end, found in TrustDomains: "a*b"'],
    ['two wildcards in a trust domain', rule('from: [{ source: { trustDomains: ["*a*"] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'trustDomains', 0], 'at most one wildcard is allowed'],
    ['serviceAccounts with principals', rule('from: [{ source: { serviceAccounts: [a], principals: [b] } }]'), ['spec', 'rules', 0, 'from', 0, 'source'], 'Cannot set serviceAccounts with namespaces or principals'],
    ['serviceAccount wildcard', rule('from: [{ source: { serviceAccounts: ["ns/*"] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'serviceAccounts', 0], 'wildcard not allowed, found in ServiceAccounts'],
    ['serviceAccount format', rule('from: [{ source: { serviceAccounts: ["a/b/c"] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'serviceAccounts', 0], "expected format 'serviceAccount' or 'namespace/serviceAccount'"],
    ['bad CIDR', rule('from: [{ source: { ipBlocks: ["10.0.0.0/33"] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'ipBlocks', 0], 'bad CIDR range (10.0.0.0/33)'],
    ['bad IP', rule('from: [{ source: { notIpBlocks: ["10.0.0.256"] } }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'notIpBlocks', 0], 'bad IP address (10.0.0.256)'],
    // security.ValidatePorts: "bad port (%s): %v" with strconv.ParseUint(p, 10, 32)'s error, <nil> when it parsed.
    ['ports numeric', rule('to: [{ operation: { ports: ["http"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'ports', 0], 'bad port (http): strconv.ParseUint: parsing "http": invalid syntax'],
    ['ports at most 65535', rule('to: [{ operation: { notPorts: ["65536"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'notPorts', 0], 'bad port (65536): <nil>'],
    ['ports that overflow 32 bits', rule('to: [{ operation: { ports: ["4294967296"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'ports', 0], 'bad port (4294967296): strconv.ParseUint: parsing "4294967296": value out of range'],
    ['empty method', rule('to: [{ operation: { methods: [""] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'methods', 0], 'empty value not allowed, found in Methods'],
    // security.CheckValidPathTemplate, on every path (a brace outside a template fails even untemplated).
    ['unsupported path template', rule('to: [{ operation: { paths: ["/{*}/foo/{bar}"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'paths', 0], "invalid or unsupported path {*}/foo/{bar}, found in Paths. Contains '{' or '}' beyond a supported path template"],
    ['a template after {**}', rule('to: [{ operation: { notPaths: ["/a/{**}/{*}"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'notPaths', 0], 'invalid or unsupported path a/{**}/{*}, found in NotPaths. {**} is not the last operator'],
    ['a templated path with a segment that is no literal', rule('to: [{ operation: { paths: ["/api/*/{*}"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'paths', 0], 'invalid or unsupported path api/*/{*}, found in Paths. Contains segment * with invalid string literal'],
    ['a brace in an untemplated path', rule('to: [{ operation: { paths: ["/items/{id}"] } }]'), ['spec', 'rules', 0, 'to', 0, 'operation', 'paths', 0], "Contains '{' or '}' beyond a supported path template"],
    ['empty source', rule('from: [{ source: {} }]'), ['spec', 'rules', 0, 'from', 0, 'source'], '`from.source` must not be empty, found at rule 0'],
    ['empty operation', rule('to: [{ operation: {} }]'), ['spec', 'rules', 0, 'to', 0, 'operation'], '`to.operation` must not be empty, found at rule 0'],
    ['when: unknown key', rule('when: [{ key: source.color, values: [red] }]'), ['spec', 'rules', 0, 'when', 0, 'values'], 'invalid `value` for `key` source.color: unknown attribute: source.color'],
    ['when: destination.namespace replaced', rule('when: [{ key: destination.namespace, values: [a] }]'), ['spec', 'rules', 0, 'when', 0, 'values'], 'attribute destination.namespace is replaced by the metadata.namespace'],
    ['when: destination.labels replaced', rule('when: [{ key: "destination.labels[app]", values: [a] }]'), ['spec', 'rules', 0, 'when', 0, 'values'], 'is replaced by the workload selector'],
    ['when: claims key syntax', rule('when: [{ key: "request.auth.claims[]", values: [a] }]'), ['spec', 'rules', 0, 'when', 0, 'values'], 'bad key (request.auth.claims[]): should have format a[b]'],
    ['when: destination.port must be a port', rule('when: [{ key: destination.port, values: ["80", "http"] }]'), ['spec', 'rules', 0, 'when', 0, 'values'], 'bad port (http)'],
    ['when: source.ip must be IP or CIDR', rule('when: [{ key: source.ip, notValues: ["1.2.3"] }]'), ['spec', 'rules', 0, 'when', 0, 'notValues'], 'invalid `notValue` for `key` source.ip: bad IP address (1.2.3)'],
    ['when: values or notValues required', rule('when: [{ key: source.ip }]'), ['spec', 'rules', 0, 'when', 0], 'at least one of `values` or `notValues` must be set for key source.ip'],
    ['targetRef cross-namespace', ap('  targetRef: { kind: Service, group: "", name: a, namespace: b }'), ['spec', 'targetRef', 'namespace'], 'cross namespace referencing is not currently supported'],
    ['targetRef kind', ap('  targetRefs: [{ kind: Deployment, group: apps, name: a }]'), ['spec', 'targetRefs', 0, 'kind'], 'targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1beta1/Gateway gateway.networking.k8s.io/v1beta1/GatewayClass] but was apps/Deployment'],
    ['selector wildcard', ap('  selector: { matchLabels: { app: "a*" } }'), ['spec', 'selector', 'matchLabels', 'app'], 'wildcard not allowed in label value match'],
    ['selector without labels warns', ap('  selector: {}'), ['spec', 'selector'], 'workload selector specified without labels', 'warning'],
    ['DENY with only HTTP attributes warns', ap('  action: DENY\n  rules: [{ to: [{ operation: { methods: [GET] } }] }]'), ['spec', 'rules', 0], 'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope', 'warning'],
    // checkDryRunAnnotation: the policy named as namespace/name, the value read by Go's strconv.ParseBool.
    ['dry-run only for ALLOW/DENY', ap('  action: AUDIT\n  rules: [{}]', '{ name: p, namespace: foo, annotations: { istio.io/dry-run: "true" } }'), ['metadata', 'annotations', 'istio.io/dry-run'], 'currently only supports action ALLOW/DENY, found action AUDIT in foo/p'],
    ['dry-run value', ap('  rules: [{}]', '{ name: p, namespace: foo, annotations: { istio.io/dry-run: "yes" } }'), ['metadata', 'annotations', 'istio.io/dry-run'], 'foo/p has annotation istio.io/dry-run with invalid value (yes): strconv.ParseBool: parsing "yes": invalid syntax'],
    ['action enum', ap('  action: REJECT'), ['spec', 'action'], 'Unsupported value: "REJECT"'],
    ['unknown field', ap('  rules: [{ from: [{ source: { principal: [a] } }] }]'), ['spec', 'rules', 0, 'from', 0, 'source', 'principal'], 'unknown field "spec.rules[0].from[0].source.principal"'],
  ]);

  it("a null rule is reported with the other rules' problems", () => {
    const issues = validateObject(docs(ap('  rules: [{ from: [{ source: {} }] }, null]'))[0]);
    expect(issues.map((i) => i.message)).toEqual([
      'spec.rules[0].from[0].source: `from.source` must not be empty, found at rule 0',
      'spec.rules[1]: `rule` must not be nil, found at rule 1',
    ]);
  });
  // Istio decodes the spec with protobuf's JSON decoding, which leaves a repeated field nil when its
  // list is empty: `from: []` is no `from` at all (its "must not be empty" never fires), and a DENY
  // policy's `rules: []` is no rules.
  it('an empty list is an absent field, as protobuf decodes it', () => {
    expect(validateObject(docs(rule('from: []\n    to: []'))[0])).toEqual([]);
    expect(validateObject(docs(ap('  action: DENY\n  rules: []'))[0]).map((i) => i.message)).toEqual([
      'spec.action: DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
    ]);
  });
  // validatePolicyTargetReference compares canonical groups, where the core group is "core".
  it('accepts a targetRef to a Service in group core', () => {
    expect(validateObject(docs(ap('  targetRefs: [{ kind: Service, group: core, name: a }]'))[0])).toEqual([]);
  });
  // ValidateAuthorizationPolicy runs security.ValidateAttribute on values and on notValues, even an
  // empty list: a key it does not know is reported for both.
  it('reports a bad when key for values and for notValues', () => {
    const issues = validateObject(docs(rule('when: [{ key: source.color, values: [red] }]'))[0]);
    expect(issues.map((i) => i.message)).toEqual([
      'spec.rules[0].when[0].values: invalid `value` for `key` source.color: unknown attribute: source.color',
      'spec.rules[0].when[0].key: invalid `notValue` for `key` source.color: unknown attribute: source.color',
    ]);
  });
  // ValidateAttribute checks source.serviceAccount values as serviceAccounts and source.trustDomain ones as wildcards.
  it('checks source.serviceAccount and source.trustDomain values as ValidateAttribute does', () => {
    expect(validateObject(docs(rule('when: [{ key: source.serviceAccount, values: ["a/b/c"] }]'))[0]).map((i) => i.message)).toEqual([
      "spec.rules[0].when[0].values: invalid `value` for `key` source.serviceAccount: expected format 'serviceAccount' or 'namespace/serviceAccount', found \"a/b/c\" in source.serviceAccount",
    ]);
    expect(validateObject(docs(rule('when: [{ key: source.trustDomain, notValues: ["a*b"] }]'))[0]).map((i) => i.message)).toEqual([
      'spec.rules[0].when[0].notValues: invalid `notValue` for `key` source.trustDomain: wildcard is only allowed at the start or end, found in source.trustDomain: "a*b"',
    ]);
  });
  it('accepts AUDIT without rules (Istio rejects only DENY and CUSTOM)', () => {
    expect(validateObject(docs(ap('  action: AUDIT'))[0])).toEqual([]);
  });
  // security.CheckEmptyValues stops at a field's first empty value; ValidateIPs reports an empty
  // value as a bad address too, before the empty-value checks.
  it('reports one empty value per field, in the order ValidateAuthorizationPolicy checks the fields', () => {
    const issues = validateObject(docs(rule('from: [{ source: { notNamespaces: ["", ""], ipBlocks: [""], principals: ["a", ""] } }]'))[0]);
    expect(issues.map((i) => i.message)).toEqual([
      'spec.rules[0].from[0].source.ipBlocks[0]: bad IP address ()',
      'spec.rules[0].from[0].source.principals[1]: empty value not allowed, found in Principals',
      'spec.rules[0].from[0].source.ipBlocks[0]: empty value not allowed, found in IpBlocks',
      'spec.rules[0].from[0].source.notNamespaces[0]: empty value not allowed, found in NotNamespaces',
    ]);
  });
  it('accepts a template after {**} that is no template, as CheckValidPathTemplate does', () => {
    expect(validateObject(docs(rule('to: [{ operation: { paths: ["/a/{**}/b"] } }]'))[0])).toEqual([]);
  });
  it('accepts a middle wildcard in principals (Istio only rejects empty values; it is then an exact match)', () => {
    expect(validateObject(docs(rule('from: [{ source: { principals: ["cluster.local/ns/*/sa/x"] } }]'))[0])).toEqual([]);
  });
});

describe('PeerAuthentication and RequestAuthentication', () => {
  const pa = (spec: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: p }\nspec:\n${spec}`;
  const ra = (rules: string) => `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: { name: r }\nspec:\n  jwtRules:\n${rules}`;

  it('accepts a JWT rule with only jwks_uri: the same proto field as jwksUri', () => {
    expect(validateObject(docs(ra('  - { jwks_uri: "https://example.com/jwks.json" }'))[0])).toEqual([]);
  });
  check([
    ['portLevelMtls requires a selector', pa('  portLevelMtls: { "8080": { mode: DISABLE } }'), ['spec', 'portLevelMtls'], 'portLevelMtls requires selector'],
    ['portLevelMtls port range', pa('  selector: { matchLabels: { app: a } }\n  portLevelMtls: { "0": { mode: DISABLE } }'), ['spec', 'portLevelMtls', '0'], 'port must be between 1-65535'],
    ['mtls mode enum', pa('  mtls: { mode: STRICTER }'), ['spec', 'mtls', 'mode'], 'Unsupported value: "STRICTER"'],
    ['jwt issuer or jwksUri required', ra('  - audiences: [a]'), ['spec', 'jwtRules', 0, 'issuer'], 'issuer or jwksUri must be non-empty string'],
    ['jwks and jwksUri exclusive', ra('  - issuer: a\n    jwksUri: https://x/jwks\n    jwks: "{}"'), ['spec', 'jwtRules', 0, 'jwks'], 'only one of jwks or jwksUri can be set'],
    ['jwksUri scheme', ra('  - issuer: a\n    jwksUri: ftp://x/jwks'), ['spec', 'jwtRules', 0, 'jwksUri'], 'url must have scheme http:// or https://'],
    ['empty audience', ra('  - issuer: a\n    audiences: [""]'), ['spec', 'jwtRules', 0, 'audiences', 0], 'audience must be non-empty string'],
    ['jwks must parse', ra('  - issuer: a\n    jwks: "{not json"'), ['spec', 'jwtRules', 0, 'jwks'], 'jwks parse error'],
  ]);
});

describe('VirtualService, DestinationRule, ServiceEntry, WorkloadEntry', () => {
  const vs = (spec: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: v }\nspec:\n${spec}`;
  const dr = (spec: string) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: d }\nspec:\n${spec}`;
  const se = (spec: string) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: s }\nspec:\n${spec}`;

  it.each([
    // pkg/config/labels: Istio's IsDNS1123Label allows upper case, IsWildcardDNS1123Label a leading `*-`.
    ['upper case subset names and hosts, a `*-` host prefix', vs('  hosts: ["*-api.Example.com"]\n  http: [{ route: [{ destination: { host: Echo, subset: V1 } }] }]')],
    ['an upper case subset name', dr('  host: echo\n  subsets: [{ name: V1, labels: { version: v1 } }]')],
    ['a direct response of 600 (validateHTTPStatus lets it through)', vs('  hosts: [a]\n  http: [{ directResponse: { status: 600 } }]')],
    ['a wildcard host on a virtual service bound to gateways only', vs('  hosts: ["*"]\n  gateways: [istio-system/gw]\n  http: [{ route: [{ destination: { host: a } }] }]')],
  ])('accepts what Istio accepts: %s', (_what, yaml) => {
    expect(validateObject(docs(yaml)[0])).toEqual([]);
  });
  check([
    ['VS needs http, tcp or tls', vs('  hosts: [a]'), ['spec'], 'http, tcp or tls must be provided in virtual service'],
    // validateHTTPStatus lets 600 through but says 200-599; mirror_percentage prints Go's %f.
    ['VS directResponse status', vs('  hosts: [a]\n  http: [{ directResponse: { status: 601 } }]'), ['spec', 'http', 0, 'directResponse', 'status'], 'HTTP status 601 is not in range 200-599'],
    ['VS mirror percentage at most 100', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a } }], mirror: { host: b }, mirrorPercentage: { value: 150 } }]'), ['spec', 'http', 0, 'mirrorPercentage', 'value'], 'mirror_percentage must have a max value of 100 (it has 150.000000)'],
    ['VS route, redirect or directResponse required', vs('  hosts: [a]\n  http: [{ timeout: 1s }]'), ['spec', 'http', 0], 'HTTP route, redirect or direct_response is required'],
    ['VS route and redirect exclusive', vs('  hosts: [a]\n  http: [{ redirect: { uri: /x }, route: [{ destination: { host: a } }] }]'), ['spec', 'http', 0, 'redirect'], 'HTTP route cannot contain both route and redirect'],
    ['VS negative weight', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a }, weight: -1 }] }]'), ['spec', 'http', 0, 'route', 0, 'weight'], 'weight -1 < 0'],
    ['VS total weight 0', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a }, weight: 0 }, { destination: { host: b }, weight: 0 }] }]'), ['spec', 'http', 0, 'route'], 'total destination weight = 0'],
    ['VS duration syntax', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a } }], timeout: 5 seconds }]'), ['spec', 'http', 0, 'timeout'], 'invalid duration "5 seconds"'],
    ['VS duration at least 1ms', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a } }], timeout: 100us }]'), ['spec', 'http', 0, 'timeout'], 'must be a valid duration greater than 1ms'],
    ['VS regex must compile (RE2)', vs('  hosts: [a]\n  http: [{ match: [{ uri: { regex: "/(a" } }], route: [{ destination: { host: a } }] }]'), ['spec', 'http', 0, 'match', 0, 'uri', 'regex'], '"uri":'],
    ['VS RE2 rejects lookahead', vs('  hosts: [a]\n  http: [{ match: [{ headers: { x: { regex: "(?=a)" } } }], route: [{ destination: { host: a } }] }]'), ['spec', 'http', 0, 'match', 0, 'headers', 'x', 'regex'], 'Istio uses RE2 style regex-based match'],
    ['VS empty prefix on headers', vs('  hosts: [a]\n  http: [{ match: [{ headers: { x: { prefix: "" } } }], route: [{ destination: { host: a } }] }]'), ['spec', 'http', 0, 'match', 0, 'headers', 'x', 'prefix'], '"headers": prefix string match should not be empty'],
    ['VS wildcard host on mesh', vs('  hosts: ["*"]\n  http: [{ route: [{ destination: { host: a } }] }]'), ['spec', 'hosts', 0], 'wildcard host * is not allowed for virtual services bound to the mesh gateway'],
    ['VS wildcard host with the mesh among its gateways', vs('  hosts: ["*"]\n  gateways: [istio-system/gw, mesh]\n  http: [{ route: [{ destination: { host: a } }] }]'), ['spec', 'hosts', 0], 'wildcard host * is not allowed for virtual services bound to the mesh gateway'],
    // host.Name.Matches: a wildcard covers the names it suffixes.
    ['VS hosts a wildcard covers', vs('  hosts: [a.foo.com, "*.foo.com"]\n  http: [{ route: [{ destination: { host: a } }] }]'), ['spec', 'hosts', 1], 'duplicate hosts in virtual service: a.foo.com & *.foo.com'],
    ['VS bad host', vs('  hosts: ["a..b"]\n  http: [{ route: [{ destination: { host: a } }] }]'), ['spec', 'hosts', 0], 'domain name "a..b" invalid'],
    ['VS destination host *', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: "*" } }] }]'), ['spec', 'http', 0, 'route', 0, 'destination', 'host'], 'invalid destination host *'],
    ['VS subset name', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a, subset: V_1 } }] }]'), ['spec', 'http', 0, 'route', 0, 'destination', 'subset'], 'subset name is invalid: V_1'],
    ['VS port range', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a, port: { number: 0 } } }] }]'), ['spec', 'http', 0, 'route', 0, 'destination', 'port', 'number'], 'port number 0 must be in the range 1..65535'],
    ['VS fault percentage', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a } }], fault: { abort: { httpStatus: 503, percentage: { value: 101 } } } }]'), ['spec', 'http', 0, 'fault', 'abort', 'percentage', 'value'], 'percentage 101 is neither 0.0, nor in range [0.0001, 100.0]'],
    ['VS retries with 0 attempts', vs('  hosts: [a]\n  http: [{ route: [{ destination: { host: a } }], retries: { attempts: 0, retryOn: 5xx } }]'), ['spec', 'http', 0, 'retries', 'attempts'], 'http retry policy configured when attempts are set to 0 (disabled)'],
    ['DR host required', dr('  subsets: []'), ['spec', 'host'], 'Required value'],
    ['DR subset names unique', dr('  host: a\n  subsets: [{ name: v1 }, { name: v1 }]'), ['spec', 'subsets', 1, 'name'], 'duplicate subset names: v1'],
    ['DR loadBalancer enum', dr('  host: a\n  trafficPolicy: { loadBalancer: { simple: FASTEST } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'simple'], 'Unsupported value: "FASTEST"'],
    ['SE hosts required', se('  ports: [{ number: 80, name: http }]'), ['spec', 'hosts'], 'Required value'],
    ['SE host * rejected', se('  hosts: ["*"]'), ['spec', 'hosts', 0], 'invalid host *'],
    ['SE duplicate port number', se('  hosts: [a.com]\n  ports: [{ number: 80, name: a }, { number: 80, name: b }]'), ['spec', 'ports', 1, 'number'], 'service entry port 80 already defined'],
    ['SE CIDR needs NONE/STATIC', se('  hosts: [a.com]\n  addresses: [10.0.0.0/8]\n  resolution: DNS'), ['spec', 'resolution'], 'CIDR addresses are allowed only for NONE/STATIC resolution types'],
    ['SE NONE with endpoints', se('  hosts: [a.com]\n  resolution: NONE\n  endpoints: [{ address: 1.1.1.1 }]'), ['spec', 'endpoints'], 'no endpoints should be provided for resolution type none'],
    ['SE STATIC endpoint must be an IP', se('  hosts: [a.com]\n  resolution: STATIC\n  endpoints: [{ address: foo.com }]'), ['spec', 'endpoints', 0, 'address'], 'endpoint address "foo.com" is not a valid IP address'],
    // pkg/config/protocol.Parse knows neither HBONE nor THRIFT; validateServicePort says "unsupported protocol".
    ['SE protocol', se('  hosts: [a.com]\n  ports: [{ number: 80, name: a, protocol: SPDY }]'), ['spec', 'ports', 0, 'protocol'], 'unsupported protocol: SPDY'],
    ['SE protocol HBONE is not one Istio parses', se('  hosts: [a.com]\n  ports: [{ number: 80, name: a, protocol: HBONE }]'), ['spec', 'ports', 0, 'protocol'], 'unsupported protocol: HBONE'],
    ['SE port name may not be empty (ValidatePortName)', se('  hosts: [a.com]\n  ports: [{ number: 80, name: "" }]'), ['spec', 'ports', 0, 'name'], 'invalid port name: '],
    // visibility.Instance.Validate: only a service entry may hide itself.
    ['exportTo ~ outside a service entry', dr('  host: a\n  exportTo: ["~"]'), ['spec', 'exportTo', 0], 'exportTo ~ (none) is not allowed for Istio configuration objects'],
    ['exportTo entry that is no label', dr('  host: a\n  exportTo: [a_b]'), ['spec', 'exportTo', 0], 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry'],
    ['SE workloadSelector with endpoints', se('  hosts: [a.com]\n  resolution: STATIC\n  workloadSelector: { labels: { app: a } }\n  endpoints: [{ address: 1.1.1.1 }]'), ['spec', 'workloadSelector'], 'only one of WorkloadSelector or Endpoints is allowed in Service Entry'],
    ['WE address required', 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: { name: w }\nspec: { labels: { app: a } }', ['spec', 'address'], 'address is required'],
    ['WE without address on a network warns', 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: { name: w }\nspec: { network: n2 }', ['spec', 'address'], 'address is unset with network "n2"', 'warning'],
    // localityLbSetting, as pkg/config/validation/agent ValidateLocalityLbSetting checks it.
    ['DR distribute and failover exclusive', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: r1/*, to: { r1/*: 100 } }], failover: [{ from: r1, to: r2 }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'distribute'], "can not simultaneously specify 'distribute' and 'failover'"],
    ['DR distribute weights sum to 100', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: r1/*, to: { r1/a: 20, r1/b: 70 } }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'distribute', 0, 'to'], 'total locality weight 90 != 100'],
    ['DR distribute weight in 1..100', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: r1/*, to: { r1/a: 0, r1/b: 100 } }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'distribute', 0, 'to'], 'locality weight must be in range [1, 100]'],
    ['DR distribute wildcard only last', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: "*/a", to: { r1/a: 100 } }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'distribute'], "locality */a wildcard '*' number can not exceed 1 and must be in the end"],
    ['DR distribute localities must not overlap', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: r1/*, to: { r1/*: 50, r1/a: 50 } }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'distribute', 0, 'to'], 'overlap with previous specified ones'],
    ['DR distribute locality parts not empty', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: r1//s, to: { r1/a: 100 } }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'distribute'], 'locality r1//s must not contain empty region/zone/subzone info'],
    ['DR failover names regions', dr('  host: a\n  trafficPolicy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: r1/a, to: r2 }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'failover', 0], 'locality lb failover only specify region'],
    ['DR failover to another region', dr('  host: a\n  trafficPolicy: { outlierDetection: {}, loadBalancer: { localityLbSetting: { failover: [{ from: r1, to: r1 }] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting', 'failover', 0], 'locality lb failover settings must specify different regions'],
    ['DR failover needs outlier detection (warning)', dr('  host: a\n  trafficPolicy: { loadBalancer: { localityLbSetting: { failoverPriority: [topology.kubernetes.io/zone] } } }'), ['spec', 'trafficPolicy', 'loadBalancer', 'localityLbSetting'], 'outlier detection policy must be provided for failover', 'warning'],
  ]);
});
