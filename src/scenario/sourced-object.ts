// A loaded manifest object and where it came from. A 10,000-pod scenario holds thousands of
// them for as long as it runs, and their positions are read only when something is reported:
// each costs a few fields, with the position looked up from its document when first read.
import type { KubeObject } from '../k8s/types';
import type { SourcePos } from './diagnostics';
import type { LoadedResource } from './manifests';
import type { Path, SourceDoc } from './yaml-source';

const ROOT: Path = Object.freeze([]);

export class SourcedObject implements LoadedResource {
  clusters: string[] | undefined = undefined;
  private where: SourcePos | undefined = undefined;
  private readonly prefix: Path;

  constructor(
    readonly obj: KubeObject,
    private readonly doc: SourceDoc,
    prefix: Path,
    readonly listIndex: number | undefined,
  ) {
    this.prefix = prefix.length === 0 ? ROOT : prefix;
  }

  get file(): string {
    return this.doc.file;
  }

  get docIndex(): number {
    return this.doc.index;
  }

  get pos(): SourcePos {
    return (this.where ??= this.doc.at(this.prefix));
  }

  set pos(value: SourcePos) {
    this.where = value;
  }

  at(path: Path): SourcePos {
    return this.doc.at(this.prefix.length === 0 ? path : [...this.prefix, ...path]);
  }
}
