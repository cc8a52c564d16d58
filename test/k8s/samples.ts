// Real-world manifests, trimmed, written from the shapes of Istio's samples and istio.io docs.
import { parseAllDocuments } from 'yaml';

export function docs(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

export const bookinfoProductpage = `
apiVersion: v1
kind: Service
metadata:
  name: productpage
  labels: { app: productpage, service: productpage }
spec:
  ports:
  - port: 9080
    name: http
  selector: { app: productpage }
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: bookinfo-productpage
  labels: { account: productpage }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: productpage-v1
  labels: { app: productpage, version: v1 }
spec:
  replicas: 1
  selector:
    matchLabels: { app: productpage, version: v1 }
  template:
    metadata:
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9080"
        prometheus.io/path: "/metrics"
      labels: { app: productpage, version: v1 }
    spec:
      serviceAccountName: bookinfo-productpage
      containers:
      - name: productpage
        image: docker.io/istio/examples-bookinfo-productpage-v1:1.20.2
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: 9080
        volumeMounts:
        - name: tmp
          mountPath: /tmp
        securityContext:
          runAsUser: 1000
      volumes:
      - name: tmp
        emptyDir: {}
`;

export const httpbin = `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: httpbin
---
apiVersion: v1
kind: Service
metadata:
  name: httpbin
  labels: { app: httpbin, service: httpbin }
spec:
  ports:
  - name: http
    port: 8000
    targetPort: 8080
  selector: { app: httpbin }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin
spec:
  replicas: 1
  selector:
    matchLabels: { app: httpbin, version: v1 }
  template:
    metadata:
      labels: { app: httpbin, version: v1 }
    spec:
      serviceAccountName: httpbin
      containers:
      - image: docker.io/mccutchen/go-httpbin:v2.15.0
        imagePullPolicy: IfNotPresent
        name: httpbin
        ports:
        - containerPort: 8080
`;

export const curl = `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: curl
---
apiVersion: v1
kind: Service
metadata:
  name: curl
  labels: { app: curl, service: curl }
spec:
  ports:
  - port: 80
    name: http
  selector: { app: curl }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: curl
spec:
  replicas: 1
  selector:
    matchLabels: { app: curl }
  template:
    metadata:
      labels: { app: curl }
    spec:
      terminationGracePeriodSeconds: 0
      serviceAccountName: curl
      containers:
      - name: curl
        image: curlimages/curl
        command: ["/bin/sleep", "infinity"]
        imagePullPolicy: IfNotPresent
        volumeMounts:
        - mountPath: /etc/curl/tls
          name: secret-volume
      volumes:
      - name: secret-volume
        secret:
          secretName: curl-secret
          optional: true
`;

export const helloworld = `
apiVersion: v1
kind: Service
metadata:
  name: helloworld
  labels: { app: helloworld, service: helloworld }
spec:
  ports:
  - port: 5000
    name: http
  selector: { app: helloworld }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: helloworld-v1
  labels: { app: helloworld, version: v1 }
spec:
  replicas: 1
  selector:
    matchLabels: { app: helloworld, version: v1 }
  template:
    metadata:
      labels: { app: helloworld, version: v1 }
    spec:
      containers:
      - name: helloworld
        image: docker.io/istio/examples-helloworld-v1:1.0
        resources:
          requests:
            cpu: "100m"
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: 5000
        readinessProbe:
          httpGet: { path: /hello, port: 5000 }
          initialDelaySeconds: 1
          periodSeconds: 3
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef: { fieldPath: metadata.name }
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution: []
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
`;

/** What \`istioctl waypoint generate -n default\` prints. */
export const waypoint = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  labels:
    istio.io/waypoint-for: service
  name: waypoint
  namespace: default
spec:
  gatewayClassName: istio-waypoint
  listeners:
  - name: mesh
    port: 15008
    protocol: HBONE
`;

export const gatewayApi = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: bookinfo-gateway }
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces: { from: Same }
  - name: https
    hostname: "*.example.com"
    port: 443
    protocol: HTTPS
    tls:
      mode: Terminate
      certificateRefs: [{ name: example-cert }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: bookinfo }
spec:
  parentRefs:
  - name: bookinfo-gateway
  rules:
  - matches:
    - path: { type: Exact, value: /productpage }
    - path: { type: PathPrefix, value: /static }
    - path: { type: RegularExpression, value: "/api/v1/products(/.*)?" }
    backendRefs:
    - name: productpage
      port: 9080
  - matches:
    - headers: [{ name: end-user, value: jason }]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{ name: x-test, value: "1" }]
    backendRefs:
    - { name: reviews-v2, port: 9080, weight: 90 }
    - { name: reviews-v1, port: 9080, weight: 10 }
    timeouts: { request: 10s }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews }
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - { name: reviews-v1, port: 9080 }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: istio-waypoint }
spec:
  controllerName: istio.io/mesh-controller
  description: The default Istio waypoint GatewayClass
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: grpc }
spec:
  parentRefs: [{ name: gw }]
  rules:
  - matches:
    - method: { service: helloworld.Greeter, method: SayHello }
    backendRefs: [{ name: grpc-svc, port: 50051 }]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: { name: tcp }
spec:
  parentRefs: [{ name: gw, sectionName: tcp }]
  rules:
  - backendRefs: [{ name: tcp-echo, port: 9000 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: tls }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [edition.cnn.com]
  rules:
  - backendRefs: [{ name: cnn, port: 443 }]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: allow-routes }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: frontend }]
  to: [{ group: "", kind: Service }]
`;

/** AuthorizationPolicies in the shapes istio.io's ambient and security tasks use. */
export const authorizationPolicies = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: foo }
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: productpage-viewer, namespace: default }
spec:
  selector:
    matchLabels: { app: productpage }
  action: ALLOW
  rules:
  - from:
    - source:
        principals:
        - cluster.local/ns/default/sa/curl
        - cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: productpage-waypoint, namespace: default }
spec:
  targetRefs:
  - kind: Service
    group: ""
    name: productpage
  action: ALLOW
  rules:
  - from:
    - source:
        principals: [cluster.local/ns/default/sa/curl]
    to:
    - operation:
        methods: ["GET"]
        paths: ["/productpage", "/static/*", "/api/{*}/reviews"]
        ports: ["9080"]
    when:
    - key: request.headers[version]
      values: ["v1", "v2"]
    - key: source.ip
      values: ["10.0.0.0/8", "192.168.1.1"]
    - key: request.auth.claims[groups]
      values: ["group1"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-method-get, namespace: foo }
spec:
  selector:
    matchLabels: { app: httpbin }
  action: DENY
  rules:
  - from:
    - source:
        notNamespaces: ["foo"]
    to:
    - operation:
        ports: ["8000"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ext-authz, namespace: foo }
spec:
  selector:
    matchLabels: { app: httpbin }
  action: CUSTOM
  provider:
    name: sample-ext-authz-grpc
  rules:
  - to:
    - operation:
        paths: ["/headers"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: waypoint-all, namespace: istio-system }
spec:
  targetRefs:
  - kind: GatewayClass
    group: gateway.networking.k8s.io
    name: istio-waypoint
  rules:
  - from:
    - source:
        serviceAccounts: ["default/curl", "curl"]
        trustDomains: ["*.example.com"]
`;

export const istioNetworking = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        end-user: { exact: jason }
      uri: { regex: "^/api/v[0-9]+/.*" }
    fault:
      delay:
        percentage: { value: 100.0 }
        fixedDelay: 7s
    route:
    - destination: { host: reviews, subset: v2 }
  - route:
    - destination: { host: reviews, subset: v1 }
      weight: 75
    - destination: { host: reviews, subset: v3 }
      weight: 25
    timeout: 0.5s
    retries: { attempts: 3, perTryTimeout: 2s, retryOn: "5xx,connect-failure" }
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: RANDOM }
    connectionPool:
      tcp: { maxConnections: 100, connectTimeout: 30ms }
    outlierDetection: { consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m }
  subsets:
  - name: v1
    labels: { version: v1 }
  - name: v2
    labels: { version: v2 }
    trafficPolicy:
      loadBalancer: { simple: ROUND_ROBIN }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: external-svc-https }
spec:
  hosts: [api.dropboxapi.com, www.googleapis.com]
  location: MESH_EXTERNAL
  ports:
  - number: 443
    name: https
    protocol: TLS
  resolution: DNS
---
apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata: { name: static }
spec:
  hosts: [mymongodb.somedomain]
  addresses: [192.192.192.192/24]
  ports:
  - number: 27018
    name: mongodb
    protocol: MONGO
  location: MESH_INTERNAL
  resolution: STATIC
  endpoints:
  - address: 2.2.2.2
  - address: 3.3.3.3
    ports: { mongodb: 27019 }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: vm1 }
spec:
  serviceAccount: vm-sa
  address: 10.0.0.1
  labels: { app: vm }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec:
  mtls: { mode: STRICT }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: httpbin, namespace: foo }
spec:
  selector:
    matchLabels: { app: httpbin }
  mtls: { mode: STRICT }
  portLevelMtls:
    "8080": { mode: DISABLE }
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt-example, namespace: foo }
spec:
  selector:
    matchLabels: { app: httpbin }
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh-default, namespace: istio-system }
spec:
  accessLogging:
  - providers: [{ name: envoy }]
`;

export const coreMisc = `
apiVersion: v1
kind: Namespace
metadata:
  name: bookinfo
  labels: { istio.io/dataplane-mode: ambient }
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels: { topology.kubernetes.io/zone: us-east1-b }
spec:
  podCIDR: 10.244.0.0/24
---
apiVersion: v1
kind: Service
metadata: { name: db-headless }
spec:
  clusterIP: None
  selector: { app: db }
---
apiVersion: v1
kind: Service
metadata: { name: ext }
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  internalTrafficPolicy: Local
  trafficDistribution: PreferClose
  ports:
  - { name: http, port: 80, targetPort: http-web, appProtocol: http }
  - { name: grpc, port: 9090, targetPort: 9090, appProtocol: kubernetes.io/h2c }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
endpoints:
- addresses: ["10.1.2.3"]
  conditions: { ready: true }
  nodeName: node-1
  zone: us-east1-b
ports:
- { name: http, port: 8080, protocol: TCP }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db-headless
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: redis }]
  volumeClaimTemplates: []
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchExpressions: [{ key: app, operator: In, values: [agent] }] }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers: [{ name: agent, image: busybox }]
---
apiVersion: v1
kind: Pod
metadata:
  name: standalone
  creationTimestamp: null
spec:
  nodeName: node-1
  containers:
  - name: main
    image: nginx
    ports: [{ containerPort: 80, name: http }]
    livenessProbe:
      tcpSocket: { port: http }
status: {}
`;
