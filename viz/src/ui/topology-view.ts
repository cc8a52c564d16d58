// The topology canvas: clusters, nodes, ztunnels, pods or pod groups, waypoint bindings, and the
// overlay of the selected step's or request's paths, zoomable and pannable.
import { max } from 'd3-array';
import { scaleOrdinal, scaleSqrt } from 'd3-scale';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import type { Hop } from '../../../src/result/types';
import type { PathWeights } from '../aggregate';
import { describeDecision } from '../decisions';
import { layoutTopology, type Box, type Focus, type Grouping, type Layout, type Vertex } from '../layout';
import { findHopPod, type TopologyIndex } from '../topology';
import { add, type Sel } from './dom';

const SVG_NS = 'http://www.w3.org/2000/svg';

function center(b: Box): [number, number] {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

/** A gentle arc from a to b, bent to one side so edges both ways stay apart. */
function arc(a: [number, number], b: [number, number]): string {
  const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = Math.hypot(dx, dy) || 1;
  const bend = Math.min(60, len * 0.2);
  return `M${a[0]},${a[1]} Q${mx - (dy / len) * bend},${my + (dx / len) * bend} ${b[0]},${b[1]}`;
}

export class TopologyView {
  private readonly svg: Sel<SVGSVGElement>;
  private readonly world: Sel<SVGGElement>;
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private layout?: Layout;
  private byId = new Map<string, Vertex>();
  private readonly nsColor = scaleOrdinal<string, string>(schemeTableau10);

  constructor(private readonly root: Sel<HTMLDivElement>, private readonly index: TopologyIndex) {
    this.svg = add(root, 'div', 'topology-frame').append('svg').attr('class', 'topology').attr('xmlns', SVG_NS) as unknown as Sel<SVGSVGElement>;
    this.world = this.svg.append('g').attr('class', 'world');
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.02, 8])
      .on('zoom', (ev: { transform: { toString(): string } }) => this.world.attr('transform', ev.transform.toString()));
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
  }

  /** The vertex id a hop is drawn at, under the current layout. */
  vertexOf = (h: Hop): string | undefined => {
    const pod = findHopPod(this.index, h);
    return pod ? this.layout?.vertexOfPod.get(pod.key) : undefined;
  };

  /** Draws the mesh under a grouping: every pod, or only those of `focus`. */
  draw(grouping: Grouping, focus?: Focus): void {
    const layout = layoutTopology(this.index, grouping, focus);
    this.layout = layout;
    this.byId = new Map(layout.vertices.map((v) => [v.id, v]));
    this.world.selectAll('*').remove();
    const w = this.world;

    const clusters = w.append('g').selectAll('g').data(layout.clusters).join('g').attr('class', 'cluster');
    clusters.append('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h).attr('rx', 10);
    clusters.append('text').attr('class', 'cluster-title').attr('x', (d) => d.x + 12).attr('y', (d) => d.y + 20)
      .text((d) => `cluster ${d.name}${d.network ? ` · network ${d.network}` : ''}`);

    const nodes = w.append('g').selectAll('g').data(layout.nodes).join('g').attr('class', 'node');
    nodes.append('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h).attr('rx', 6);
    nodes.append('text').attr('class', 'node-title').attr('x', (d) => d.x + 8).attr('y', (d) => d.y + 15)
      .text((d) => `node ${d.name}${d.zone ? ` · ${d.zone}` : ''}`);

    const bindings = w.append('g').attr('class', 'bindings');
    for (const s of layout.services) {
      for (const wp of s.waypoints) {
        const v = this.byId.get(wp);
        if (v) bindings.append('path').attr('class', 'binding').attr('d', arc(center(s), center(v))).append('title').text(`${s.service} → waypoint`);
      }
    }
    const chips = w.append('g').selectAll('g').data(layout.services).join('g').attr('class', 'service').attr('data-id', (d) => d.id);
    chips.append('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h).attr('rx', 12);
    chips.append('text').attr('x', (d) => d.x + 10).attr('y', (d) => d.y + 16).text((d) => clip(`svc ${d.service}`, 26));
    chips.append('title').text((d) => `Service ${d.service} (cluster ${d.cluster}) uses waypoint`);

    const verts = w.append('g').selectAll('g').data(layout.vertices).join('g')
      .attr('class', (d) => `vertex role-${d.role} enroll-${d.enrollment}`)
      .attr('data-id', (d) => d.id);
    verts.append('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h).attr('rx', 4);
    verts.filter((d) => d.role !== 'ztunnel').append('rect').attr('class', 'ns-bar')
      .attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', 5).attr('height', (d) => d.h).attr('fill', (d) => this.nsColor(d.namespace));
    verts.append('text').attr('class', 'v-label').attr('x', (d) => d.x + 10).attr('y', (d) => d.y + (d.role === 'ztunnel' ? 15 : 14))
      .text((d) => clip(d.role === 'ztunnel' && !d.label.startsWith('ztunnel') ? `ztunnel ${d.label}` : d.label, Math.floor(d.w / 6.6)));
    verts.filter((d) => d.role !== 'ztunnel').append('text').attr('class', 'v-sub').attr('x', (d) => d.x + 10).attr('y', (d) => d.y + 27)
      .text((d) => clip(`${d.namespace} · ${d.role === 'app' ? d.enrollment : d.role}`, 30));
    verts.append('title').text((d) => `${d.role} ${d.namespace}/${d.label}\ncluster ${d.cluster}, node ${d.node}\nenrollment: ${d.enrollment}${d.pods > 1 ? `\n${d.pods} pods` : ''}`);
    this.fit();
  }

  fit(): void {
    const l = this.layout;
    const el = this.svg.node();
    if (!l || !el) return;
    const { width, height } = el.getBoundingClientRect();
    const k = Math.min((width - 20) / Math.max(l.width, 1), (height - 20) / Math.max(l.height, 1), 1.4);
    const t = zoomIdentity.translate((width - l.width * k) / 2, (height - l.height * k) / 2).scale(k);
    this.svg.call(this.zoomer.transform, t);
  }

  /** Lights up the given paths; `null` clears the overlay. */
  highlight(weights: PathWeights | null): void {
    const w = this.world;
    w.selectAll('.paths').remove();
    w.selectAll<SVGGElement, Vertex>('g.vertex').classed('lit', false).attr('data-requests', null);
    if (!weights) return;
    w.selectAll<SVGGElement, Vertex>('g.vertex')
      .classed('lit', (d) => weights.vertices.has(d.id))
      .attr('data-requests', (d) => weights.vertices.get(d.id) ?? null);
    const layer = w.append('g').attr('class', 'paths').classed('dense', weights.edges.length > 80);
    const top = max(weights.edges, (e) => e.count) ?? 1;
    const width = scaleSqrt().domain([0, top]).range([1.5, 12]);
    const edges = weights.edges
      .map((e) => ({ e, a: this.byId.get(e.from), b: this.byId.get(e.to) }))
      .filter((x): x is { e: typeof x.e; a: Vertex; b: Vertex } => x.a !== undefined && x.b !== undefined)
      .sort((x, y) => y.e.count - x.e.count);
    const g = layer.selectAll('g.edge').data(edges).join('g').attr('class', 'edge').attr('data-from', (d) => d.e.from).attr('data-to', (d) => d.e.to).attr('data-count', (d) => d.e.count);
    g.append('path').attr('class', 'path-edge').attr('d', (d) => arc(center(d.a), center(d.b))).attr('stroke-width', (d) => width(d.e.count)).attr('marker-end', 'url(#arrow)');
    g.append('title').text((d) => `${d.e.count} request${d.e.count === 1 ? '' : 's'}: ${d.a.label} → ${d.b.label}`);
    this.ensureArrow();

    const marks = layer.selectAll('g.deny-mark').data(weights.stops.filter((s) => this.byId.has(s.vertex))).join('g')
      .attr('class', 'deny-mark').attr('data-vertex', (d) => d.vertex).attr('data-what', (d) => d.what);
    marks.each((d, i, all) => {
      const v = this.byId.get(d.vertex)!;
      const [cx, cy] = [v.x + v.w - 10 - (i % 4) * 4, v.y + 2 + (i % 4) * 4];
      const m = marks.filter((_, j) => all[j] === all[i]);
      m.append('circle').attr('cx', cx).attr('cy', cy).attr('r', 9);
      m.append('text').attr('x', cx).attr('y', cy + 4).attr('text-anchor', 'middle').text('✕');
      const why = d.decisions.length ? d.decisions.map(describeDecision).join('\n') : 'no policy decision recorded';
      m.append('title').text(`${d.count} request${d.count === 1 ? '' : 's'} stopped here: ${d.what}\n${why}`);
    });
  }

  private ensureArrow(): void {
    if (!this.svg.select('defs').empty()) return;
    this.svg.insert('defs', ':first-child').append('marker').attr('id', 'arrow').attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse').attr('markerWidth', 12).attr('markerHeight', 12).attr('orient', 'auto-start-reverse')
      .append('path').attr('d', 'M0,0 L10,5 L0,10 z').attr('class', 'arrow-head');
  }

  destroy(): void {
    this.root.selectAll('*').remove();
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
