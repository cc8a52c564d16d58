// Public shapes of the simulated API server: construction options, operation results, change events.
import type { Labels } from '../k8s/types';
import type { Cidr } from './ip';

export interface NodeInput {
  name: string;
  region?: string;
  zone?: string;
  labels?: Labels;
}

export interface ClusterOptions {
  name: string;
  network: string;
  /** 0-based position of the cluster; picks non-overlapping node, pod, service and load-balancer ranges. */
  index: number;
  nodes: NodeInput[];
  /** The block node pod /24s are carved from (default 10.(244+index).0.0/16, 256 nodes). */
  podSubnet?: Cidr;
  trustDomain: string;
  rootNamespace: string;
  /** Epoch ms of simulated t=0. */
  startTime: number;
  /** Seeded stream in [0,1). */
  rng: () => number;
  /** Delay between a pod being bound to a node and it becoming Ready (default 0). */
  podReadyDelayMs?: number;
  /** DNS suffix of Service hostnames (default `cluster.local`). */
  domainSuffix?: string;
  /** kubelet's maxPods (default 110, at most 254 since each node owns a /24). */
  maxPodsPerNode?: number;
  /** Tag of the Istio images put on istiod, ztunnel and gateway pods. */
  istioVersion?: string;
}

export type ChangeType = 'added' | 'modified' | 'deleted';

export interface ChangeEvent {
  type: ChangeType;
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export type ApplyResult =
  | { ok: true; action: ApplyAction; /** kubectl's `deployment.apps/foo` */ ref: string }
  | { ok: false; error: string };

export type DeleteResult =
  | { ok: true; ref: string; /** kubectl's `deployment.apps "foo" deleted` */ message: string }
  | { ok: false; error: string };

export type PatchResult =
  | {
      ok: true;
      ref: string;
      /** kubectl's verb: labeled, unlabeled, modified, not labeled, annotated. */
      message: string;
      /** Lines kubectl prints besides the result, e.g. `label "x" not found.` */
      notices: string[];
    }
  | { ok: false; error: string };

export interface ApplyOptions {
  /** Where the object came from, as kubectl names it in errors (`STDIN`, a file path). */
  source?: string;
}
