// What the scenario loader carries while checking one scenario file.
import type { z } from 'zod';
import { DiagnosticCollector } from './diagnostics';
import type { SourcePos } from './diagnostics';
import { StringPool } from './string-pool';
import { fieldIssues } from './zod-issues';
import type { Path, SourceDoc } from './yaml-source';

export class LoadContext {
  readonly diags = new DiagnosticCollector();
  /** The clusters steps and resources may name; undefined when `spec.clusters` itself is invalid (no check then). */
  clusterNames: string[] | undefined;

  constructor(
    readonly file: string,
    readonly doc: SourceDoc,
    /** The strings of every text of the load; cleared once loading is done (the context outlives it in positions). */
    readonly strings = new StringPool(),
  ) {}

  at(path: Path): SourcePos {
    return this.doc.at(path);
  }

  error(path: Path, message: string): void {
    this.diags.error(this.doc.at(path), message);
  }

  errorAtKey(path: Path, message: string): void {
    this.diags.error(this.doc.keyAt(path), message);
  }

  /** Parses the value at `path` with `schema`, reporting every issue at its place; undefined when invalid. */
  parse<S extends z.ZodType>(schema: S, value: unknown, path: Path): z.output<S> | undefined {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of fieldIssues(r.error.issues, value, path)) {
      const full = [...path, ...issue.path];
      if (issue.atKey) this.errorAtKey(full, issue.message);
      else this.error(full, issue.message);
    }
    return undefined;
  }

  /** Checks a cluster name given at `path`; true when it is known (or cannot be checked). */
  checkCluster(name: string, path: Path): boolean {
    if (!this.clusterNames || this.clusterNames.includes(name)) return true;
    this.error(path, `unknown cluster "${name}" (clusters: ${this.clusterNames.join(', ')})`);
    return false;
  }
}
