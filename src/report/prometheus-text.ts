// The Prometheus text exposition format (version 0.0.4): counters and histograms, families and
// series sorted so that equal input always gives equal bytes.

export type LabelPairs = [name: string, value: string][];

function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(v: string): string {
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function labelText(pairs: LabelPairs): string {
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
}

function step<T>(node: LabelNode<T>, key: string): LabelNode<T> {
  let next = node.next.get(key);
  if (next === undefined) node.next.set(key, (next = { next: new Map() }));
  return next;
}

/** Sample values without float noise (sums of rounded milliseconds). */
export function sampleValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  return String(Number.isInteger(v) ? v : Number(v.toFixed(6)));
}

interface Series<T> {
  labels: LabelPairs;
  data: T;
}

/** A step down the series' labels, name then value; where the labels end, their series. */
interface LabelNode<T> {
  next: Map<string, LabelNode<T>>;
  series?: Series<T>;
}

abstract class Family<T> {
  /**
   * Found by following the labels one string at a time: label values are mostly strings V8 has
   * hashed before, where one key made of all of them (a run counts every request) is new each time.
   */
  private readonly root: LabelNode<T> = { next: new Map() };
  private readonly all: Series<T>[] = [];
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  protected at(labels: LabelPairs): T {
    let node = this.root;
    for (const [k, v] of labels) node = step(step(node, k), v);
    if (node.series === undefined) {
      node.series = { labels, data: this.empty() };
      this.all.push(node.series);
    }
    return node.series.data;
  }

  protected abstract empty(): T;
  protected abstract lines(labels: LabelPairs, data: T): string[];
  abstract readonly type: 'counter' | 'histogram';

  render(): string[] {
    // Sorted by their label text, as they are printed.
    const sorted = this.all.map((s) => ({ text: labelText(s.labels), s })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`, ...sorted.flatMap(({ s }) => this.lines(s.labels, s.data))];
  }
}

export class Counter extends Family<{ value: number }> {
  readonly type = 'counter';
  protected empty(): { value: number } {
    return { value: 0 };
  }
  add(labels: LabelPairs, by = 1): void {
    this.at(labels).value += by;
  }
  protected lines(labels: LabelPairs, data: { value: number }): string[] {
    return [`${this.name}${labelText(labels)} ${sampleValue(data.value)}`];
  }
}

interface HistogramData {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Family<HistogramData> {
  readonly type = 'histogram';
  constructor(
    name: string,
    help: string,
    private readonly buckets: readonly number[],
  ) {
    super(name, help);
  }
  protected empty(): HistogramData {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }
  observe(labels: LabelPairs, v: number): void {
    const d = this.at(labels);
    this.buckets.forEach((le, i) => {
      if (v <= le) d.counts[i]! += 1;
    });
    d.sum += v;
    d.count += 1;
  }
  protected lines(labels: LabelPairs, d: HistogramData): string[] {
    const bucket = (le: string, n: number): string => `${this.name}_bucket${labelText([...labels, ['le', le]])} ${n}`;
    return [
      ...this.buckets.map((le, i) => bucket(sampleValue(le), d.counts[i]!)),
      bucket('+Inf', d.count),
      `${this.name}_sum${labelText(labels)} ${sampleValue(d.sum)}`,
      `${this.name}_count${labelText(labels)} ${d.count}`,
    ];
  }
}

/** The exposition of several families, sorted by name. */
export function renderFamilies(families: { name: string; render(): string[] }[]): string {
  return [...families]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((f) => f.render())
    .map((l) => `${l}\n`)
    .join('');
}
