// Public shapes of the analyzer: what it takes and what it reports.
import type { Cluster } from '../cluster';
import type { MeshConfig } from '../control/config';
import type { KubeObject } from '../k8s/types';
import type { Path, SourcePos } from '../scenario';
import type { Level } from './codes';

export interface Finding {
  code: string;
  level: Level;
  message: string;
  /** `Kind ns/name`, or `Kind name` for cluster-scoped kinds (istioctl's friendly name). */
  resource: string;
  /** FILE:LINE:COL of the most specific field; absent for objects that came from no file (lab mode). */
  pos?: SourcePos;
  /** Documentation URL of the code. */
  docs: string;
}

/** One object to analyze; `at` places a path inside it in its file (from the manifest loader). */
export interface AnalyzedResource {
  obj: KubeObject;
  at?(path: Path): SourcePos;
}

export interface AnalyzeOptions {
  /**
   * A converged cluster that already holds the objects (lab mode, `istioctl analyze`). Without it
   * the objects are applied, namespaces first, to a fresh default cluster.
   */
  cluster?: Cluster;
  config?: MeshConfig;
  /** Only messages Istio itself reports (IST codes), as `istioctl analyze` prints them. */
  istioOnly?: boolean;
  /** Keep only findings on resources in this namespace (istioctl's `-n`; a Namespace counts as its own). */
  namespace?: string;
  /** `CODE=Kind ns/name` suppressions; `*` globs in the resource part. */
  suppress?: readonly Suppression[];
}

export interface Suppression {
  code: string;
  resource: string;
}
