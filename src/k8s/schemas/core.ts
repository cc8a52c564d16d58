// core/v1 (Namespace, Node, ServiceAccount, Pod, Service) and discovery.k8s.io/v1 EndpointSlice.
// Fields meshsim reads are validated; the rest of each real object is listed and passed through.
import * as z from 'zod';
import {
  anyStatus, dns1035Label, dns1123Label, dns1123Subdomain, ianaSvcName, intIn, intOrPortName, isCIDR, isIP,
  kubeObject, labels, nonNegativeInt, port, strict, check,
} from './common';

const protocol = z.enum(['TCP', 'UDP', 'SCTP']);

// ---------------------------------------------------------------- Pod

const containerPort = strict(
  { containerPort: port, name: ianaSvcName.optional(), protocol: protocol.optional() },
  ['hostIP', 'hostPort'],
);

const envVar = strict({ name: z.string().min(1), value: z.string().optional() }, ['valueFrom']);

const probe = strict(
  {
    httpGet: strict({ path: z.string().optional(), port: intOrPortName }, ['host', 'httpHeaders', 'scheme']).optional(),
    tcpSocket: strict({ port: intOrPortName }, ['host']).optional(),
    exec: strict({ command: z.array(z.string()).optional() }).optional(),
    initialDelaySeconds: nonNegativeInt.optional(),
    periodSeconds: nonNegativeInt.optional(),
  },
  ['failureThreshold', 'grpc', 'successThreshold', 'terminationGracePeriodSeconds', 'timeoutSeconds'],
);

const containerExtras = [
  'envFrom', 'imagePullPolicy', 'lifecycle', 'resizePolicy', 'resources', 'restartPolicy', 'restartPolicyRules',
  'securityContext', 'startupProbe', 'stdin', 'stdinOnce', 'terminationMessagePath', 'terminationMessagePolicy', 'tty',
  'volumeDevices', 'volumeMounts', 'workingDir',
];

const container = strict(
  {
    name: dns1123Label,
    image: z.string().optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    ports: z.array(containerPort).optional(),
    env: z.array(envVar).optional(),
    readinessProbe: probe.optional(),
    livenessProbe: probe.optional(),
  },
  containerExtras,
);

const podSpecExtras = [
  'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'dnsConfig', 'dnsPolicy', 'enableServiceLinks',
  'ephemeralContainers', 'hostAliases', 'hostIPC', 'hostPID', 'hostUsers', 'hostname', 'hostnameOverride',
  'imagePullSecrets', 'os', 'overhead', 'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates',
  'resourceClaims', 'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName', 'schedulingGates',
  'securityContext', 'setHostnameAsFQDN', 'shareProcessNamespace', 'subdomain', 'tolerations',
  'topologySpreadConstraints', 'volumes',
];

function uniqueContainerNames(spec: { containers: { name: string }[]; initContainers?: { name: string }[] }, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  const visit = (list: { name: string }[] | undefined, field: string) =>
    list?.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [field, i, 'name'], message: `Duplicate value: "${c.name}"` });
      seen.add(c.name);
    });
  visit(spec.initContainers, 'initContainers');
  visit(spec.containers, 'containers');
}

export const podSpec = strict(
  {
    containers: z.array(container).min(1),
    initContainers: z.array(container).optional(),
    nodeName: z.string().optional(),
    nodeSelector: labels.optional(),
    serviceAccountName: dns1123Subdomain.optional(),
    serviceAccount: z.string().optional(),
    hostNetwork: z.boolean().optional(),
    terminationGracePeriodSeconds: nonNegativeInt.optional(),
  },
  podSpecExtras,
).superRefine(uniqueContainerNames);

const podStatus = strict(
  {
    phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
    podIP: z.string().optional(),
    podIPs: z.array(strict({ ip: z.string() })).optional(),
    hostIP: z.string().optional(),
    startTime: z.string().optional(),
  },
  [
    'conditions', 'containerStatuses', 'ephemeralContainerStatuses', 'hostIPs', 'initContainerStatuses', 'message',
    'nominatedNodeName', 'observedGeneration', 'qosClass', 'reason', 'resize', 'resourceClaimStatuses',
  ],
);

export const pod = kubeObject({ spec: podSpec, status: podStatus.optional() });

// ---------------------------------------------------------------- Namespace, Node, ServiceAccount

export const namespace = kubeObject(
  { spec: strict({}, ['finalizers']).optional(), status: strict({ phase: z.string().optional() }, ['conditions']).optional() },
  dns1123Label,
);

export const node = kubeObject({
  spec: strict(
    { podCIDR: z.string().optional(), podCIDRs: z.array(z.string()).optional(), unschedulable: z.boolean().optional() },
    ['configSource', 'externalID', 'providerID', 'taints'],
  ).optional(),
  status: strict(
    { addresses: z.array(strict({ type: z.string(), address: z.string() })).optional() },
    ['allocatable', 'capacity', 'conditions', 'config', 'daemonEndpoints', 'features', 'images', 'nodeInfo', 'phase', 'runtimeHandlers', 'volumesAttached', 'volumesInUse'],
  ).optional(),
});

export const serviceAccount = kubeObject({
  automountServiceAccountToken: z.boolean().optional(),
  imagePullSecrets: z.array(z.unknown()).optional(),
  secrets: z.array(z.unknown()).optional(),
});

// ---------------------------------------------------------------- Service

const servicePort = strict({
  name: dns1123Label.optional(),
  port,
  targetPort: intOrPortName.optional(),
  protocol: protocol.optional(),
  appProtocol: z.string().optional(),
  nodePort: intIn(1, 65535).optional(),
});

const clusterIP = check(z.string(), (v) => v === '' || v === 'None' || isIP(v), (v) => `Invalid value: "${v}": must be a valid IP address or "None"`);

const serviceSpec = strict(
  {
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    clusterIP: clusterIP.optional(),
    clusterIPs: z.array(clusterIP).optional(),
    selector: labels.optional(),
    ports: z.array(servicePort).optional(),
    externalName: z.string().optional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    trafficDistribution: z.enum(['PreferClose', 'PreferSameZone', 'PreferSameNode']).optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    sessionAffinity: z.enum(['None', 'ClientIP']).optional(),
  },
  [
    'allocateLoadBalancerNodePorts', 'externalIPs', 'externalTrafficPolicy', 'healthCheckNodePort', 'ipFamilies',
    'ipFamilyPolicy', 'loadBalancerClass', 'loadBalancerIP', 'loadBalancerSourceRanges', 'sessionAffinityConfig',
  ],
).superRefine((spec, ctx) => {
  const type = spec.type ?? 'ClusterIP';
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (!spec.externalName) ctx.addIssue({ code: 'custom', path: ['externalName'], message: 'Required value' });
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.?$/.test(spec.externalName)) {
      ctx.addIssue({ code: 'custom', path: ['externalName'], message: `Invalid value: "${spec.externalName}": must be a lowercase RFC 1123 subdomain` });
    }
  } else if (ports.length === 0 && spec.clusterIP !== 'None') {
    ctx.addIssue({ code: 'custom', path: ['ports'], message: 'Required value' });
  }
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    if (ports.length > 1 && !p.name) ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message: 'Required value: when more than one port is defined, every port must be named' });
    if (p.name !== undefined) {
      if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message: `Duplicate value: "${p.name}"` });
      names.add(p.name);
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['ports', i], message: `Duplicate value: port ${key} is listed twice` });
    keys.add(key);
  });
});

export const service = kubeObject({ spec: serviceSpec, status: anyStatus.optional() }, dns1035Label);

// ---------------------------------------------------------------- EndpointSlice

const endpointAddress = z.string();
const endpoint = strict(
  {
    addresses: z.array(endpointAddress).min(1).max(100),
    conditions: strict({ ready: z.boolean().optional(), serving: z.boolean().optional(), terminating: z.boolean().optional() }).optional(),
    nodeName: z.string().optional(),
    zone: z.string().optional(),
    hostname: dns1123Label.optional(),
    targetRef: strict(
      { kind: z.string(), name: z.string(), namespace: z.string().optional(), uid: z.string().optional() },
      ['apiVersion', 'fieldPath', 'resourceVersion'],
    ).optional(),
  },
  ['deprecatedTopology', 'hints'],
);

const endpointPort = strict({
  name: z.string().optional(),
  port: intIn(0, 65535).optional(),
  protocol: protocol.optional(),
  appProtocol: z.string().optional(),
});

export const endpointSlice = kubeObject({
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z.array(endpoint).max(1000),
  ports: z.array(endpointPort).max(100).optional(),
}).superRefine((slice, ctx) => {
  slice.endpoints.forEach((e, i) =>
    e.addresses.forEach((a, j) => {
      const ok = slice.addressType === 'FQDN' ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(a) : isIP(a) && !isCIDR(a) && (slice.addressType === 'IPv6') === a.includes(':');
      if (!ok) ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'addresses', j], message: `Invalid value: "${a}": must be a valid ${slice.addressType} address` });
    }),
  );
});
