// The simulated Kubernetes API server and controllers (one Cluster per simulated cluster).
export { Cluster, DEFAULT_ISTIO_VERSION, kindOf } from './cluster';
export type { PatchObjectResult, PatchType } from './patch';
export { countObjects, getObject, ISTIO_GATEWAY_KIND, listKinds, listObjects, storageKind, type Bucket, type ClusterState, type KindBuckets } from './state';
export { defaultApiVersion, groupOf, isBuiltInType, notFoundError, resourcePlural, resourceRef } from './resources';
export { isPodReady } from './pods';
export { resolveTargetPort } from './controllers/endpointSlices';
export { CLASS_INFOS, BUILTIN_CLASSES, generatedName } from './controllers/gatewayNames';
export { addressPlan, MAX_CLUSTERS } from './ip';
export { rfc3339 } from './names';
export type * from './types';
