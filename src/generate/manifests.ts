// The Kubernetes, Istio and Gateway API objects of a generated scenario, as YAML text written the
// way a user would write them (istioctl's waypoint Gateway, the east-west Gateway of the
// multicluster docs, AuthorizationPolicies with selectors or targetRefs, GAMMA HTTPRoutes).
import { CLIENT_NAMESPACE, SERVICE_PORT, TARGET_PORT, WAYPOINT, type PolicyPlan, type RoutePlan, type ScenarioPlan, type ServicePlan } from './plan';
import { documents, map, seq, str } from './yaml-text';

/** The image of generated services: one meshsim does not model, so it answers 200 naming the pod. */
export const SERVICE_IMAGE = 'registry.example/meshsim/service:1.0';
const CLIENT_IMAGE = 'curlimages/curl:8.16.0';
const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
const GLOBAL_LABEL = 'istio.io/global';

function metadata(name: string, namespace: string | undefined, labels: Record<string, string> = {}): string {
  const ns = namespace === undefined ? '' : `  namespace: ${str(namespace)}\n`;
  const l = Object.keys(labels).length ? `  labels:\n${map(labels, 4)}` : '';
  return `metadata:\n  name: ${str(name)}\n${ns}${l}`;
}

function namespaceDoc(name: string, labels: Record<string, string>): string {
  return `apiVersion: v1\nkind: Namespace\n${metadata(name, undefined, labels)}`;
}

function serviceAccountDoc(namespace: string, name: string): string {
  return `apiVersion: v1\nkind: ServiceAccount\n${metadata(name, namespace)}`;
}

function deploymentDoc(namespace: string, name: string, replicas: number, image: string, port: number | undefined): string {
  const ports = port === undefined ? '' : `          ports:\n            - name: http\n              containerPort: ${port}\n`;
  const command = port === undefined ? `          command: ["/bin/sleep", "infinity"]\n` : '';
  return (
    `apiVersion: apps/v1\nkind: Deployment\n${metadata(name, namespace, { app: name })}` +
    `spec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: ${str(name)}\n` +
    `  template:\n    metadata:\n      labels:\n        app: ${str(name)}\n` +
    `    spec:\n      serviceAccountName: ${str(name)}\n      containers:\n        - name: ${str(name)}\n          image: ${str(image)}\n${command}${ports}`
  );
}

function serviceDoc(s: ServicePlan, global: boolean): string {
  const labels = { app: s.name, ...(global ? { [GLOBAL_LABEL]: 'true' } : {}) };
  return (
    `apiVersion: v1\nkind: Service\n${metadata(s.name, s.namespace, labels)}` +
    `spec:\n  selector:\n    app: ${str(s.name)}\n  ports:\n    - name: http\n      port: ${SERVICE_PORT}\n      targetPort: ${TARGET_PORT}\n`
  );
}

/** What `istioctl waypoint apply -n NS` creates. */
function waypointDoc(namespace: string): string {
  return (
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n${metadata(WAYPOINT, namespace, { 'istio.io/waypoint-for': 'service' })}` +
    `spec:\n  gatewayClassName: istio-waypoint\n  listeners:\n    - name: mesh\n      port: 15008\n      protocol: HBONE\n`
  );
}

/** The east-west gateway of a network: remote clusters reach its endpoints with double HBONE on 15008. */
function eastWestDoc(network: string): string {
  return (
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n${metadata('istio-eastwestgateway', 'istio-system', { 'topology.istio.io/network': network })}` +
    `spec:\n  gatewayClassName: istio-east-west\n  listeners:\n    - name: mesh\n      port: 15008\n      protocol: HBONE\n` +
    `      tls:\n        mode: Terminate\n        options:\n          gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL\n`
  );
}

function policyDoc(s: ServicePlan, p: PolicyPlan): string {
  const head = `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n${metadata(p.name, s.namespace)}spec:\n`;
  const selector = `  selector:\n    matchLabels:\n      app: ${str(s.name)}\n`;
  const targetRef = `  targetRefs:\n    - kind: Service\n      group: ""\n      name: ${str(s.name)}\n`;
  switch (p.kind) {
    case 'allow-callers':
      return `${head}${selector}  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals:\n${seq(p.principals, 14)}`;
    case 'allow-namespaces':
      return (
        `${head}${selector}  action: ALLOW\n  rules:\n    - from:\n        - source:\n            namespaces:\n${seq(p.namespaces, 14)}` +
        `      to:\n        - operation:\n            ports:\n${seq([String(p.port)], 14)}`
      );
    case 'deny-namespace':
      return `${head}${selector}  action: DENY\n  rules:\n    - from:\n        - source:\n            namespaces:\n${seq([p.namespace], 14)}`;
    case 'allow-l7':
      return (
        `${head}${targetRef}  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals:\n${seq(p.principals, 14)}` +
        `      to:\n        - operation:\n            methods:\n${seq(p.methods, 14)}`
      );
    case 'deny-l7':
      // Naming the port keeps istiod's "will deny all traffic to TCP ports" warning away; a
      // waypoint sees the Service port of service-addressed traffic.
      return (
        `${head}${targetRef}  action: DENY\n  rules:\n    - to:\n        - operation:\n` +
        `            ports:\n${seq([String(SERVICE_PORT)], 14)}            methods:\n${seq(p.methods, 14)}            paths:\n${seq(p.paths, 14)}`
      );
  }
}

function routeDoc(s: ServicePlan, r: RoutePlan): string {
  const backends = r.backends
    .map((b) => `        - name: ${str(b.service)}\n          port: ${SERVICE_PORT}\n${b.weight === undefined ? '' : `          weight: ${b.weight}\n`}`)
    .join('');
  return (
    `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n${metadata(r.name, s.namespace)}` +
    `spec:\n  parentRefs:\n    - group: ""\n      kind: Service\n      name: ${str(s.name)}\n      port: ${SERVICE_PORT}\n` +
    `  rules:\n    - matches:\n        - path:\n            type: PathPrefix\n            value: ${str(r.pathPrefix)}\n      backendRefs:\n${backends}`
  );
}

/** Every namespace, enrolled in ambient; those with a waypoint use it. */
export function namespacesFile(plan: ScenarioPlan): string {
  const docs = plan.namespaces.map((n) => namespaceDoc(n.name, { ...AMBIENT, ...(n.waypoint ? { 'istio.io/use-waypoint': WAYPOINT } : {}) }));
  docs.push(namespaceDoc(CLIENT_NAMESPACE, AMBIENT));
  return `# Every namespace is in the ambient mesh; those with a waypoint send their services' traffic through it.\n${documents(docs)}`;
}

/** The entry clients: curl pods that only call. */
export function clientsFile(plan: ScenarioPlan): string {
  const docs = plan.clients.flatMap((c) => [serviceAccountDoc(CLIENT_NAMESPACE, c), deploymentDoc(CLIENT_NAMESPACE, c, 1, CLIENT_IMAGE, undefined)]);
  return `# The entry clients: they send the request steps to the services at the top of the call graph.\n${documents(docs)}`;
}

/** A namespace's objects shared by every cluster: its waypoint, and per service its account, Service, policies and routes. */
export function namespaceServicesFile(plan: ScenarioPlan, ns: ScenarioPlan['namespaces'][number]): string {
  const global = plan.clusters.length > 1;
  const docs: string[] = ns.waypoint ? [waypointDoc(ns.name)] : [];
  for (const i of ns.services) {
    const s = plan.services[i]!;
    docs.push(serviceAccountDoc(s.namespace, s.name), serviceDoc(s, global));
    for (const p of s.policies) docs.push(policyDoc(s, p));
    for (const r of s.routes) docs.push(routeDoc(s, r));
  }
  const what = ns.waypoint ? 'its waypoint, and its services with their policies and routes' : 'its services with their policies';
  return `# Namespace ${ns.name}: ${what}.\n${documents(docs)}`;
}

/** A namespace's Deployments in one cluster (services without replicas there have none). */
export function namespaceWorkloadsFile(plan: ScenarioPlan, ns: ScenarioPlan['namespaces'][number], cluster: number): string | undefined {
  const docs = ns.services
    .map((i) => plan.services[i]!)
    .filter((s) => s.replicas[cluster]! > 0)
    .map((s) => deploymentDoc(s.namespace, s.name, s.replicas[cluster]!, SERVICE_IMAGE, TARGET_PORT));
  if (docs.length === 0) return undefined;
  return `# Namespace ${ns.name}: the Deployments in ${plan.clusters[cluster]!.name}.\n${documents(docs)}`;
}

export function eastWestFile(plan: ScenarioPlan, cluster: number): string {
  const c = plan.clusters[cluster]!;
  return `# The east-west gateway of ${c.network}: other networks reach ${c.name}'s endpoints through it.\n${eastWestDoc(c.network)}`;
}
