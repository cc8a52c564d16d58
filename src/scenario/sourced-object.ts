// A loaded manifest object and where it came from. A 10,000-pod scenario holds thousands of
// them for as long as it runs, and their positions are read only when something is reported:
// each costs a few fields, the object itself read from its document (a manifest's document
// keeps its value) and the position looked up from the document when first read.
import type { KubeObject } from '../k8s/types';
import type { SourcePos } from './diagnostics';
import type { LoadedResource } from './manifests';
import type { Path, SourceDoc } from './yaml-source';

export class SourcedObject implements LoadedResource {
  clusters: string[] | undefined = undefined;
  private where: SourcePos | undefined = undefined;

  constructor(
    private readonly doc: SourceDoc,
    /** Index inside the `items` of a `kind: List` document; undefined for the document itself. */
    readonly listIndex: number | undefined,
  ) {}

  get obj(): KubeObject {
    const value = this.doc.value as { items: KubeObject[] } & KubeObject;
    return this.listIndex === undefined ? value : value.items[this.listIndex]!;
  }

  get file(): string {
    return this.doc.file;
  }

  get docIndex(): number {
    return this.doc.index;
  }

  get pos(): SourcePos {
    return (this.where ??= this.listIndex === undefined ? this.doc.pos : this.doc.at(['items', this.listIndex]));
  }

  set pos(value: SourcePos) {
    this.where = value;
  }

  at(path: Path): SourcePos {
    return this.doc.at(this.listIndex === undefined ? path : ['items', this.listIndex, ...path]);
  }
}
