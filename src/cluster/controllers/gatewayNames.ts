// Istio's built-in GatewayClasses and how each names and shapes what it deploys
// (istio/istio pilot/pkg/config/kube/gatewaycommon/classinfo.go, pkg/config/constants).

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';
export const GATEWAY_MANAGED_LABEL = 'gateway.istio.io/managed';
export const SERVICE_ACCOUNT_ANNOTATION = 'gateway.istio.io/service-account';
export const NAME_OVERRIDE_ANNOTATION = 'gateway.istio.io/name-override';
export const SERVICE_TYPE_ANNOTATION = 'networking.istio.io/service-type';
export const CONTROLLER_VERSION_ANNOTATION = 'gateway.istio.io/controller-version';
export const NETWORK_LABEL = 'topology.istio.io/network';

export type AddressType = 'IPAddress' | 'Hostname' | 'Both';

export interface ClassInfo {
  controller: string;
  description: string;
  /** Which istiod template renders the deployment; undefined = nothing deployed (remote gateways). */
  template?: 'waypoint' | 'kube-gateway';
  /** Without it, generated objects are named `<gateway>-<class>`. */
  disableNameSuffix: boolean;
  serviceType: 'ClusterIP' | 'LoadBalancer';
  /** Value of the `gateway.istio.io/managed` label on generated objects. */
  controllerLabel?: string;
  /** Address types reported in status when there is no external address. */
  addressType: AddressType;
}

export const CLASS_INFOS: Record<string, ClassInfo> = {
  'istio.io/gateway-controller': {
    controller: 'istio.io/gateway-controller',
    description: 'The default Istio GatewayClass',
    template: 'kube-gateway',
    disableNameSuffix: false,
    serviceType: 'LoadBalancer',
    controllerLabel: 'istio.io-gateway-controller',
    addressType: 'Hostname',
  },
  'istio.io/mesh-controller': {
    controller: 'istio.io/mesh-controller',
    description: 'The default Istio waypoint GatewayClass',
    template: 'waypoint',
    disableNameSuffix: true,
    serviceType: 'ClusterIP',
    controllerLabel: 'istio.io-mesh-controller',
    addressType: 'Both',
  },
  'istio.io/eastwest-controller': {
    controller: 'istio.io/eastwest-controller',
    description: 'The default GatewayClass for Istio East West Gateways',
    template: 'waypoint',
    disableNameSuffix: true,
    serviceType: 'LoadBalancer',
    controllerLabel: 'istio.io-eastwest-controller',
    addressType: 'Both',
  },
  'istio.io/unmanaged-gateway': {
    controller: 'istio.io/unmanaged-gateway',
    description: 'Remote to this cluster. Does not deploy or affect configuration.',
    disableNameSuffix: false,
    serviceType: 'ClusterIP',
    addressType: 'Hostname',
  },
};

/** The GatewayClasses istiod creates (and re-creates if deleted). */
export const BUILTIN_CLASSES: Record<string, string> = {
  istio: 'istio.io/gateway-controller',
  'istio-waypoint': 'istio.io/mesh-controller',
  'istio-remote': 'istio.io/unmanaged-gateway',
  'istio-east-west': 'istio.io/eastwest-controller',
};

/** Name of the Deployment/Service generated for a Gateway (`GetDefaultName` + name override). */
export function generatedName(gatewayName: string, className: string, info: ClassInfo, annotations: Record<string, string> | undefined): string {
  return annotations?.[NAME_OVERRIDE_ANNOTATION] ?? (info.disableNameSuffix ? gatewayName : `${gatewayName}-${className}`);
}
