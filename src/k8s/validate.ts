// Validates one parsed manifest object against the schema of its apiVersion/kind and returns every
// problem found, each located by its path inside the object.
import type { PathIssue } from './issues';
import { acceptsFast } from './schemas/fast-accept';
import { convertIssues, formatPath } from './schemas/messages';
import { schemaFor } from './schemas/registry';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Problems that keep an object from being identified at all (no apiVersion, kind or name). */
function identityIssues(obj: Record<string, unknown>): PathIssue[] {
  const issues: PathIssue[] = [];
  const missing = (path: string[], what: string) => issues.push({ path, message: `${formatPath(path)}: Required value: ${what}`, severity: 'error' });
  if (typeof obj['apiVersion'] !== 'string' || obj['apiVersion'] === '') missing(['apiVersion'], 'every object needs an apiVersion, e.g. "v1" or "apps/v1"');
  if (typeof obj['kind'] !== 'string' || obj['kind'] === '') missing(['kind'], 'every object needs a kind, e.g. "Deployment"');
  const meta = obj['metadata'];
  if (!isRecord(meta)) missing(['metadata'], 'every object needs metadata with a name');
  else if (typeof meta['name'] !== 'string' || meta['name'] === '') missing(['metadata', 'name'], 'name is required');
  return issues;
}

export function validateObject(obj: unknown): PathIssue[] {
  if (!isRecord(obj)) return [{ path: [], message: 'a manifest must be an object (a map of fields)', severity: 'error' }];
  const identity = identityIssues(obj);
  if (identity.length) return identity;
  const apiVersion = obj['apiVersion'] as string;
  const kind = obj['kind'] as string;
  const schema = schemaFor(apiVersion, kind);
  if (!schema) return [{ path: [], message: `${kind} ${apiVersion} is not simulated by meshsim; it is kept but has no effect`, severity: 'warning' }];
  // Most objects are valid: a compiled predicate settles those, and zod is asked only for messages.
  if (acceptsFast(schema)(obj)) return [];
  const result = schema.safeParse(obj, { reportInput: true });
  return result.success ? [] : convertIssues(result.error.issues);
}

/** Only what names an object (apiVersion, kind, metadata.name): for commands that read a file to find objects, not to write them. */
export function validateIdentity(obj: unknown): PathIssue[] {
  if (!isRecord(obj)) return [{ path: [], message: 'a manifest must be an object (a map of fields)', severity: 'error' }];
  return identityIssues(obj);
}
