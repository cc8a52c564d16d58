// How a cluster refuses an object that `kubectl apply` or `create` sends, as kubectl prints it. The
// API server decodes the object strictly (an unknown field ends it there), then validates it
// (built-in rules, or a CRD's OpenAPI schema and then its CEL rules, which a schema failure leaves
// unchecked), then asks the validating webhooks (Istio's `validation.istio.io` for its own groups):
// only the first stage that finds a problem answers.
import { groupOf } from '../../cluster';
import type { PathIssue } from '../../k8s/issues';
import { validateObject } from '../../k8s/validate';
import { formatPath } from '../../k8s/schemas/messages';
import { formatDiagnostic, type RejectedObject } from '../../scenario';

/** The object as kubectl names it in the messages. */
interface Named {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** What kubectl prints for one refused object: alone, and among the errors of several objects. */
export interface Refusal {
  text: string;
  /** The line kubectl prints when the apply failed on more objects (a 422 then reads differently). */
  amongOthers: string;
}

/** The API server's extra cause when a schema failure kept it from a CRD's CEL rules (as a v1.33 server words it). */
const CEL_UNCHECKED = '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** Groups whose kinds are CustomResourceDefinitions with CEL rules (Istio's and the Gateway API's). */
function hasCelRules(apiVersion: string): boolean {
  const group = groupOf(apiVersion);
  return group.endsWith('.istio.io') || group === 'gateway.networking.k8s.io';
}

/** apimachinery's field.Path: `.field`, `[index]`, and a map's key as `[key]`. */
function fieldPath(path: readonly (string | number)[], mapKeyLast: boolean): string {
  let out = '';
  path.forEach((seg, i) => {
    if (typeof seg === 'number' || (mapKeyLast && i === path.length - 1)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  });
  return out;
}

/** A cause as the API server words it: a CEL rule's at the node that carries the rule. */
function cause(issue: PathIssue): string {
  const cel = issue.cel;
  if (cel === undefined) return issue.message;
  const at = issue.path.slice(0, issue.path.length - (cel.up ?? 0));
  return `${fieldPath(at, cel.key === true)}: Invalid value: "${cel.type}": ${cel.rule}`;
}

/** The message without the `path: ` the validator put before it. */
function detail(issue: PathIssue): string {
  const prefix = `${formatPath(issue.path)}: `;
  return issue.path.length && issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : issue.message;
}

function same(text: string): Refusal {
  return { text, amongOthers: text };
}

/** apimachinery's strict decoding: the unknown fields, sorted as the pruning walk sorts them. */
function decodeRefusal(obj: Named, source: string, issues: PathIssue[]): Refusal {
  const version = obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1);
  const paths = issues.map((i) => formatPath(i.path)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fields = paths.map((p) => `unknown field "${p}"`).join(', ');
  return same(`Error from server (BadRequest): error when creating "${source}": ${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: strict decoding error: ${fields}`);
}

/**
 * A 422 Invalid. kubectl prints its causes under the object's kind and name; among several failed
 * objects it prints the server's own message instead, the causes in brackets.
 */
function invalidRefusal(obj: Named, source: string, causes: string[]): Refusal {
  const head = `The ${obj.kind} "${obj.metadata.name}" is invalid: `;
  const text = causes.length === 1 ? head + causes[0]! : `${head}\n${causes.map((c) => `* ${c}`).join('\n')}`;
  const group = groupOf(obj.apiVersion);
  const list = causes.length === 1 ? causes[0]! : `[${causes.join(', ')}]`;
  return { text, amongOthers: `Error from server (Invalid): error when creating "${source}": ${obj.kind}${group ? `.${group}` : ''} "${obj.metadata.name}" is invalid: ${list}` };
}

/**
 * Istio's denial: a metadata check's error alone; else an AuthorizationPolicy's errors name it
 * (`name.namespace`), and several, or one its check returns as a list, are listed as go-multierror
 * lists them.
 */
function webhookRefusal(obj: Named, namespace: string | undefined, source: string, issues: PathIssue[]): Refusal {
  const denial = (err: string) => same(`Error from server: error when creating "${source}": admission webhook "validation.istio.io" denied the request: configuration is invalid: ${err}`);
  const alone = issues.find((i) => i.alone === true);
  if (alone !== undefined) return denial(detail(alone));
  const policy = obj.kind === 'AuthorizationPolicy' ? `invalid policy ${obj.metadata.name}.${namespace ?? ''}: ` : '';
  const errors = issues.map((i) => policy + detail(i));
  const list = errors.length > 1 || issues[0]!.listed === true;
  const joined = list ? `${errors.length} error${errors.length === 1 ? '' : 's'} occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n` : errors[0]!;
  return denial(joined);
}

/**
 * What kubectl prints for an object the cluster refuses. Where meshsim does not reproduce the
 * cluster's words it prints the problems at their place in the file instead: a value of the wrong
 * type (Go's decoder names Go types), and the decoding and webhook errors of an object that already
 * exists (sent as a patch, which kubectl prints with the patch it computed).
 */
export function refusal(r: RejectedObject, source: string, target: { namespace: string | undefined; exists: boolean }): Refusal {
  const { exists } = target;
  const obj = r.obj as Named;
  const errors = r.issues.filter((i) => i.severity === 'error');
  const inFile = (found: PathIssue[]) => same(found.map((i) => `error: ${formatDiagnostic({ ...r.at(i.path), message: i.message, severity: 'error' })}`).join('\n'));
  const decode = errors.filter((i) => i.stage === 'decode');
  if (decode.length) return exists ? inFile(decode) : decodeRefusal(obj, source, decode);
  // Problems meshsim words its own way (no stage) are the API server's validation too.
  const schema = errors.filter((i) => i.stage === 'schema' || i.stage === undefined);
  const cel = errors.filter((i) => i.stage === 'cel');
  const blocked = schema.some((i) => i.blocking || i.stage === undefined);
  const validation = blocked ? schema : [...schema, ...cel];
  if (validation.length) {
    if (validation.some((i) => i.stage === undefined)) return inFile(validation);
    const causes = [...new Set(validation.map(cause))];
    const refused = invalidRefusal(obj, source, blocked && hasCelRules(obj.apiVersion) ? [...causes, CEL_UNCHECKED] : causes);
    // An update's server message, among several failures, comes with the patch kubectl computed.
    return exists ? same(refused.text) : refused;
  }
  const webhook = errors.filter((i) => i.stage === 'webhook');
  if (webhook.length) return exists ? inFile(webhook) : webhookRefusal(obj, target.namespace, source, webhook);
  return inFile(errors);
}

/** Whether kubectl itself stops at the object before sending anything (no apiVersion, kind or name). */
export function refusedByKubectl(r: RejectedObject): boolean {
  const obj = r.obj as Partial<Named> | null;
  return typeof obj !== 'object' || obj === null || !obj.apiVersion || !obj.kind || !obj.metadata?.name;
}

/** The warnings Istio's webhook returns with an object it admits; kubectl prints each as `Warning: ...`. */
export function webhookWarnings(obj: unknown): string[] {
  return validateObject(obj)
    .filter((i) => i.severity === 'warning' && i.stage === 'webhook')
    .map(detail);
}
