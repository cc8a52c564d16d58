// Printing findings: istioctl analyze's log lines (`Error [IST0101] (Kind ns/name file:line) ...`),
// its "no issues" line, and JSON/YAML. meshsim adds the column to the file position; lab mode's
// `istioctl analyze` prints exactly what istioctl prints.
import { stringify } from 'yaml';
import type { Level } from './codes';
import type { Finding } from './types';

export interface LogOptions {
  /** FILE:LINE:COL instead of istioctl's FILE:LINE. */
  columns?: boolean;
  /** ANSI colours as istioctl uses them (yellow warnings, bold red errors). */
  color?: boolean;
  /** The files analyzed: the "no issues" line names them instead of the namespace. */
  files?: readonly string[];
}

const COLORS: Record<Level, string> = { Info: '', Warning: '\u001b[33m', Error: '\u001b[1;31m' };
const RESET = '\u001b[0m';

function reference(f: Finding, columns: boolean): string {
  if (!f.pos) return '';
  if (f.pos.line <= 0) return ` ${f.pos.file}`;
  return ` ${f.pos.file}:${f.pos.line}${columns ? `:${f.pos.col}` : ''}`;
}

export function formatFinding(f: Finding, opts: LogOptions = {}): string {
  const level = opts.color ? `${COLORS[f.level]}${f.level}${RESET}` : f.level;
  return `${level} [${f.code}] (${f.resource}${reference(f, opts.columns === true)}) ${f.message}`;
}

/** istioctl's line when nothing was found (it writes it to stderr). */
export function noIssuesLine(namespace = 'default', files?: readonly string[]): string {
  if (files && files.length > 1) return `\u2714 No validation issues found when analyzing:\n  - ${files.join('\n  - ')}\n`;
  if (files && files.length === 1) return `\u2714 No validation issues found when analyzing ${files[0]}.\n`;
  return `\u2714 No validation issues found when analyzing namespace: ${namespace}.\n`;
}

/** The findings as istioctl analyze prints them, or its "no issues" line when there are none. */
export function formatFindingsLog(findings: readonly Finding[], namespace = 'default', opts: LogOptions = {}): string {
  if (findings.length === 0) return noIssuesLine(namespace, opts.files);
  return `${findings.map((f) => formatFinding(f, opts)).join('\n')}\n`;
}

/** istioctl's JSON/YAML message shape (`origin`, `reference`, `documentationUrl`). */
export function istioctlMessages(findings: readonly Finding[]): Record<string, string>[] {
  return findings.map((f) => {
    const ref = reference(f, false).trim();
    return {
      code: f.code,
      documentationUrl: f.code.startsWith('IST') ? `${f.docs}?ref=istioctl-analyze` : f.docs,
      level: f.level,
      message: f.message,
      origin: f.resource,
      ...(ref ? { reference: ref } : {}),
    };
  });
}

export function formatFindings(findings: readonly Finding[], format: 'json' | 'yaml'): string {
  const value = findings.map((f) => ({ ...f }));
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : value.length === 0 ? '[]\n' : stringify(value, { lineWidth: 0 });
}

/** Whether any finding is at `threshold` or worse (istioctl's --failure-threshold, default Error). */
export function exceedsThreshold(findings: readonly Finding[], threshold: Level = 'Error'): boolean {
  const rank = { Error: 0, Warning: 1, Info: 2 } as const;
  return findings.some((f) => rank[f.level] <= rank[threshold]);
}
