// HTTP header names as Go's net/http writes them (CanonicalMIMEHeaderKey) and curl -v shows them.

/** `x-request-id` → `X-Request-Id`: each dash-separated word's first letter upper-cased. */
export function canonicalHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
