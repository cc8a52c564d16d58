// The mesh view's workloads. At 10,000 pods a flat object of every field costs more than the pod it
// describes, yet most fields are the same for every pod of one owner: those live in one shared
// `WorkloadGroup`, and a `MeshWorkload` keeps only what is its own. Every workload of a view is of
// this one class, so reads through its getters stay monomorphic on the request path.
import type { Condition, Labels, Pod } from '../k8s/types';
import type { DataplaneMode } from './enrollment';
import { workloadUid } from './intern';
import type { Locality, NodeInfo, WorkloadInfo, WorkloadRole } from './model';
import type { WaypointInfo } from './waypoints';

/** The facts every pod of a group shares (all of them are compared when a pod joins one). */
export interface GroupFacts {
  cluster: string;
  network: string;
  namespace: string;
  workloadName: string;
  serviceAccount: string;
  identity: string;
  mode: DataplaneMode;
  role: WorkloadRole;
  gateway: string | undefined;
  waypoint: WaypointInfo | undefined;
  waypointCondition: Condition | undefined;
}

export class WorkloadGroup implements GroupFacts {
  readonly cluster: string;
  readonly network: string;
  readonly namespace: string;
  readonly workloadName: string;
  readonly serviceAccount: string;
  readonly identity: string;
  readonly mode: DataplaneMode;
  readonly protocol: 'HBONE' | 'TCP';
  readonly role: WorkloadRole;
  readonly gateway: string | undefined;
  readonly waypoint: WaypointInfo | undefined;
  readonly waypointCondition: Condition | undefined;
  /** The name its workloads go by when it is not their pod's (a stand-in built from another workload). */
  podName: string | undefined = undefined;

  constructor(f: GroupFacts) {
    this.cluster = f.cluster;
    this.network = f.network;
    this.namespace = f.namespace;
    this.workloadName = f.workloadName;
    this.serviceAccount = f.serviceAccount;
    this.identity = f.identity;
    this.mode = f.mode;
    this.protocol = f.mode === 'none' ? 'TCP' : 'HBONE';
    this.role = f.role;
    this.gateway = f.gateway;
    this.waypoint = f.waypoint;
    this.waypointCondition = f.waypointCondition;
  }

  /** Same facts (owner and namespace are the caller's key, so they are not compared). */
  holds(f: GroupFacts): boolean {
    return (
      this.serviceAccount === f.serviceAccount &&
      this.mode === f.mode &&
      this.role === f.role &&
      this.gateway === f.gateway &&
      this.waypoint === f.waypoint &&
      this.waypointCondition === f.waypointCondition &&
      this.cluster === f.cluster &&
      this.network === f.network
    );
  }
}

/** The labels of a pod that has none: one object, so equal label sets stay one object. */
export const NO_LABELS: Labels = {};

/** A workload's own facts besides its group (its name and labels are its pod's). */
export interface PodFacts {
  ip: string;
  /** Its node, or a stand-in of the same name (no IP, no locality) when the node is unknown. */
  place: NodeInfo;
  healthy: boolean;
  pod: Pod;
  /** Set only for workloads whose uid is not `<cluster>/<namespace>/<name>`. */
  uid?: string;
}

export class MeshWorkload implements WorkloadInfo {
  // Fields in the order requests read them.
  readonly ip: string;
  readonly group: WorkloadGroup;
  readonly healthy: boolean;
  private readonly place: NodeInfo;
  readonly pod: Pod;
  /** Built when first asked for: few workloads of a large view are ever named by uid. */
  private uidMemo: string | undefined;

  constructor(group: WorkloadGroup, f: PodFacts) {
    this.ip = f.ip;
    this.group = group;
    this.healthy = f.healthy;
    this.place = f.place;
    this.pod = f.pod;
    this.uidMemo = f.uid;
  }

  /** `<cluster>/<namespace>/<pod>`. */
  get uid(): string {
    return (this.uidMemo ??= workloadUid(this.group.cluster, this.group.namespace, this.name));
  }
  /** Pod name. Read from the pod, not kept: two fields less per workload at 10,000 pods. */
  get name(): string {
    return this.group.podName ?? this.pod.metadata.name;
  }
  get labels(): Labels {
    return this.pod.metadata.labels ?? NO_LABELS;
  }
  get node(): string {
    return this.place.name;
  }
  get locality(): Locality {
    return this.place.locality;
  }
  get cluster(): string {
    return this.group.cluster;
  }
  get network(): string {
    return this.group.network;
  }
  get namespace(): string {
    return this.group.namespace;
  }
  get workloadName(): string {
    return this.group.workloadName;
  }
  get serviceAccount(): string {
    return this.group.serviceAccount;
  }
  get identity(): string {
    return this.group.identity;
  }
  get mode(): DataplaneMode {
    return this.group.mode;
  }
  get protocol(): 'HBONE' | 'TCP' {
    return this.group.protocol;
  }
  get role(): WorkloadRole {
    return this.group.role;
  }
  get gateway(): string | undefined {
    return this.group.gateway;
  }
  get waypoint(): WaypointInfo | undefined {
    return this.group.waypoint;
  }
  get waypointCondition(): Condition | undefined {
    return this.group.waypointCondition;
  }
}

/**
 * Stand-ins built from `w` with some facts replaced: they share one group and one node record, so
 * each costs a workload and its uid (a remote network's gateway stands in for thousands of Services).
 */
export function standInsOf(
  w: WorkloadInfo,
  o: { name: string; healthy: boolean; waypoint: WaypointInfo | undefined },
): (uid: string) => MeshWorkload {
  const group = new WorkloadGroup({ ...groupFactsOf(w), waypoint: o.waypoint });
  group.podName = o.name;
  const place: NodeInfo = { name: w.node, ip: '', locality: w.locality };
  return (uid) => new MeshWorkload(group, { ip: w.ip, place, healthy: o.healthy, pod: w.pod, uid });
}

function groupFactsOf(w: WorkloadInfo): GroupFacts {
  return {
    cluster: w.cluster,
    network: w.network,
    namespace: w.namespace,
    workloadName: w.workloadName,
    serviceAccount: w.serviceAccount,
    identity: w.identity,
    mode: w.mode,
    role: w.role,
    gateway: w.gateway,
    waypoint: w.waypoint,
    waypointCondition: w.waypointCondition,
  };
}
