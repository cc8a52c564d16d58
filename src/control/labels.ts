// Label and annotation names istiod and istio-cni read (pkg/config/constants, cni enablement selectors).

export const DATAPLANE_MODE = 'istio.io/dataplane-mode';
export const USE_WAYPOINT = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR = 'istio.io/waypoint-for';
export const INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';
export const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_MANAGED = 'gateway.istio.io/managed';
export const ISTIO_INJECTION = 'istio-injection';
export const SIDECAR_STATUS = 'sidecar.istio.io/status';
export const ISTIO_REV = 'istio.io/rev';
export const GLOBAL_SERVICE = 'istio.io/global';
export const NETWORK_LABEL = 'topology.istio.io/network';
/** The Service an EndpointSlice belongs to. */
export const SERVICE_NAME = 'kubernetes.io/service-name';
export const TRAFFIC_DISTRIBUTION_ANNOTATION = 'networking.istio.io/traffic-distribution';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const SUBZONE_LABEL = 'topology.istio.io/subzone';

export const WAYPOINT_CLASS = 'istio-waypoint';
export const EASTWEST_CLASS = 'istio-east-west';
export const INGRESS_CLASS = 'istio';
export const MESH_CONTROLLER = 'istio.io-mesh-controller';
export const EASTWEST_CONTROLLER = 'istio.io-eastwest-controller';
