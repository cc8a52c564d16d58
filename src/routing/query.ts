// Request line helpers: split the path from its query and read query parameters.

export function splitPath(pathWithQuery: string): { path: string; query: string } {
  const q = pathWithQuery.indexOf('?');
  return q < 0 ? { path: pathWithQuery, query: '' } : { path: pathWithQuery.slice(0, q), query: pathWithQuery.slice(q) };
}

/** Value of the first occurrence of `name` (names compared exactly; values not percent-decoded). */
export function queryParam(query: string, name: string): string | undefined {
  // query starts with '?'
  let i = 1;
  while (i < query.length) {
    let end = query.indexOf('&', i);
    if (end < 0) end = query.length;
    const eq = query.indexOf('=', i);
    const keyEnd = eq >= 0 && eq < end ? eq : end;
    if (keyEnd - i === name.length && query.startsWith(name, i)) return keyEnd < end ? query.slice(keyEnd + 1, end) : '';
    i = end + 1;
  }
  return undefined;
}
