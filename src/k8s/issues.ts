// A validation problem found inside one object, located by its path within that object.
// The scenario loader turns the path into FILE:LINE:COL using the YAML source positions.

export type Severity = 'error' | 'warning';

export interface PathIssue {
  /** Path from the object's root, e.g. ['spec', 'rules', 0, 'from', 0, 'source', 'principals', 1]. */
  path: (string | number)[];
  message: string;
  severity: Severity;
}
