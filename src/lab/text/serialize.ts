// kubectl's -o yaml / -o json: keys sorted (objects go through JSON maps), sequences not indented,
// and YAML 1.1 quoting (go-yaml quotes strings such as timestamps, "yes" and "on").
import { stringify } from 'yaml';

export function toKubeYaml(value: unknown): string {
  return stringify(value, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function toKubeJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}
