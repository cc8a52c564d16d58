// A validation problem found inside one object, located by its path within that object.
// The scenario loader turns the path into FILE:LINE:COL using the YAML source positions.

export type Severity = 'error' | 'warning';

/**
 * Where a real cluster refuses the object, in the order it checks: the API server's strict decoding
 * (unknown fields), its validation (built-in rules or a CRD's OpenAPI schema, then the CRD's CEL
 * rules, which a schema failure leaves unchecked), then Istio's validating webhook
 * (`validation.istio.io`). kubectl prints each its own way.
 */
export type RefusalStage = 'decode' | 'schema' | 'cel' | 'webhook';

export interface PathIssue {
  /** Path from the object's root, e.g. ['spec', 'rules', 0, 'from', 0, 'source', 'principals', 1]. */
  path: (string | number)[];
  message: string;
  severity: Severity;
  /**
   * Which check finds it, when the message is worded as that check words it; absent for problems
   * meshsim words its own way (a value of the wrong type), which a cluster finds in validation.
   */
  stage?: RefusalStage;
  /** A schema failure (a required field, an enum, a limit) after which a CRD's CEL rules go unchecked. */
  blocking?: boolean;
  /** For a CEL rule's issue: the rule as the API server reports it. */
  cel?: CelRule;
  /** Istio's webhook reports it in a go-multierror list even when it is the only error. */
  listed?: boolean;
  /** Istio's webhook checks it before the kind's own rules and returns it alone, as it is. */
  alone?: boolean;
}

/**
 * A CRD's CEL rule as the API server reports its failure, `<path>: Invalid value: "<type>": <rule>`:
 * the rule sits on the schema node `up` segments above the issue's path, whose type is `type`.
 */
export interface CelRule {
  rule: string;
  type: 'object' | 'array' | 'string' | 'integer';
  up?: number;
  /** The node is a map's value: its last path segment is the key. */
  key?: boolean;
}
