// Placeholder until the schemas land: accepts any object with apiVersion, kind and metadata.name.
import type { PathIssue } from './issues';

export function validateObject(obj: unknown): PathIssue[] {
  const o = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
  const issues: PathIssue[] = [];
  if (!o || typeof o !== 'object') return [{ path: [], message: 'object expected', severity: 'error' }];
  if (typeof o.apiVersion !== 'string') issues.push({ path: ['apiVersion'], message: 'apiVersion not set', severity: 'error' });
  if (typeof o.kind !== 'string') issues.push({ path: ['kind'], message: 'kind not set', severity: 'error' });
  if (typeof o.metadata?.name !== 'string') issues.push({ path: ['metadata', 'name'], message: 'name is required', severity: 'error' });
  return issues;
}
