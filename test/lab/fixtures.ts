// A small ambient namespace: a curl client and a two-replica http-echo behind a Service.
export const DEMO = `
apiVersion: v1
kind: Namespace
metadata: { name: demo, labels: { istio.io/dataplane-mode: ambient } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: curl, namespace: demo }
spec:
  selector: { matchLabels: { app: curl } }
  template:
    metadata: { labels: { app: curl } }
    spec:
      serviceAccountName: curl
      containers: [{ name: curl, image: curlimages/curl, command: [sleep, infinity] }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo, namespace: demo, labels: { app: echo } }
spec:
  replicas: 2
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo, version: v1 } }
    spec:
      containers: [{ name: echo, image: hashicorp/http-echo, args: ["-text=hello"], ports: [{ containerPort: 5678 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: demo, labels: { app: echo } }
spec: { selector: { app: echo }, ports: [{ port: 80, targetPort: 5678, name: http }] }
`;
