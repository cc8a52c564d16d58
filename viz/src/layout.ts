// Where everything sits on the topology canvas: clusters side by side, their nodes packed in rows,
// each node a box with its ztunnel across the top and its pods (or pod groups) in a grid.
// Big meshes fold pods into workloads or namespaces per node, or draw only the pods a step's
// requests went through (a focus), so the page stays readable.
import type { Enrollment, PodRole } from './model';
import type { PlacedPod, TopologyIndex } from './topology';

export type Grouping = 'pod' | 'workload' | 'namespace';
export const GROUPINGS: Grouping[] = ['pod', 'workload', 'namespace'];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Vertex extends Box {
  id: string;
  label: string;
  namespace: string;
  role: PodRole;
  enrollment: Enrollment | 'mixed';
  cluster: string;
  node: string;
  pods: number;
}

export interface NodeBox extends Box {
  cluster: string;
  name: string;
  zone?: string;
}

export interface ClusterBox extends Box {
  name: string;
  network?: string;
}

export interface ServiceChip extends Box {
  id: string;
  cluster: string;
  service: string;
  /** The waypoint vertices this service is bound to. */
  waypoints: string[];
}

export interface Layout {
  grouping: Grouping;
  width: number;
  height: number;
  clusters: ClusterBox[];
  nodes: NodeBox[];
  vertices: Vertex[];
  services: ServiceChip[];
  /** Pod key → the vertex that draws it. */
  vertexOfPod: Map<string, string>;
}

export const CELL_W = 170;
export const CELL_H = 34;
const GAP = 6;
const PAD = 10;
const NODE_HEADER = 22;
const ZTUNNEL_H = 22;
const CLUSTER_HEADER = 30;
const CLUSTER_GAP = 60;
const SERVICE_H = 24;

/** The group a pod falls in under a grouping; proxies other than per-node ztunnels keep their workload. */
function groupOf(p: PlacedPod, g: Grouping): string {
  const base = `${p.cluster}|${p.node}|${p.namespace}`;
  if (g === 'pod') return `pod|${p.key}`;
  if (g === 'namespace' && p.role === 'app') return `ns|${base}`;
  return `wl|${base}|${p.role}|${p.workload ?? p.name}`;
}

/** Pod keys to draw; undefined draws every pod. */
export type Focus = ReadonlySet<string> | undefined;

/** How many vertices a grouping yields (to choose one that stays readable). */
export function vertexCount(index: TopologyIndex, g: Grouping, focus?: Focus): number {
  const ids = new Set<string>();
  for (const p of index.pods.values()) if (p.role !== 'ztunnel' && (!focus || focus.has(p.key))) ids.add(groupOf(p, g));
  return ids.size;
}

/** At most this many boxes stay readable on the canvas. */
export const READABLE_BOXES = 300;

/** The finest grouping that draws at most `limit` boxes. */
export function autoGrouping(index: TopologyIndex, limit = READABLE_BOXES, focus?: Focus): Grouping {
  return GROUPINGS.find((g) => vertexCount(index, g, focus) <= limit) ?? 'namespace';
}

function labelOf(pods: PlacedPod[], g: Grouping): string {
  const p = pods[0]!;
  if (g === 'pod' || pods.length === 1) return g === 'pod' ? p.name : `${p.workload ?? p.name}`;
  if (g === 'namespace' && p.role === 'app') return `${p.namespace} ×${pods.length}`;
  return `${p.workload ?? p.name} ×${pods.length}`;
}

function enrollmentOf(pods: PlacedPod[]): Enrollment | 'mixed' {
  const first = pods[0]!.enrollment;
  return pods.every((p) => p.enrollment === first) ? first : 'mixed';
}

/**
 * Places clusters, nodes and vertices. Under a focus only the focused pods are drawn, on the nodes
 * that hold them (a node's ztunnel counts), with the service chips of the waypoints still drawn.
 */
export function layoutTopology(index: TopologyIndex, grouping: Grouping, focus?: Focus): Layout {
  const vertices: Vertex[] = [];
  const nodes: NodeBox[] = [];
  const clusters: ClusterBox[] = [];
  const services: ServiceChip[] = [];
  const vertexOfPod = new Map<string, string>();
  let clusterX = 0;
  let height = 0;

  // Clusters sit side by side: each gets a share of a landscape canvas.
  const aspect = 2.4 / Math.max(1, index.topology.clusters.length);
  for (const c of index.topology.clusters) {
    // Size every node box first, then pack them in rows about as wide as tall overall.
    const sized = c.nodes.map((n) => {
      const groups = new Map<string, PlacedPod[]>();
      let ztunnel: PlacedPod | undefined;
      for (const p of n.pods as PlacedPod[]) {
        if (focus && !focus.has(p.key)) continue;
        if (p.role === 'ztunnel') {
          ztunnel ??= p;
          vertexOfPod.set(p.key, `zt|${p.key}`);
          continue;
        }
        const id = groupOf(p, grouping);
        vertexOfPod.set(p.key, id);
        const list = groups.get(id);
        if (list) list.push(p);
        else groups.set(id, [p]);
      }
      const cols = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(groups.size / 2))));
      const rows = Math.ceil(groups.size / cols);
      const w = Math.max(cols * (CELL_W + GAP) - GAP + 2 * PAD, CELL_W + 2 * PAD);
      const h = NODE_HEADER + ZTUNNEL_H + GAP + rows * (CELL_H + GAP) + PAD;
      return { n, groups, ztunnel, cols, w, h };
    }).filter((x) => !focus || x.ztunnel !== undefined || x.groups.size > 0);
    if (focus && sized.length === 0) continue;
    const area = sized.reduce((s, x) => s + (x.w + GAP * 2) * (x.h + GAP * 2), 0);
    const rowWidth = Math.max(Math.sqrt(area * aspect), ...sized.map((x) => x.w));

    const bound = new Map<string, string[]>();
    for (const b of index.topology.waypointBindings) {
      if (b.cluster !== c.name) continue;
      const list = bound.get(b.service);
      if (list) list.push(b.waypoint);
      else bound.set(b.service, [b.waypoint]);
    }
    // Under a focus, a Service chip is drawn only when one of its waypoints is.
    const chips = [...bound]
      .map(([service, names]) => ({ service, waypoints: waypointVertices(index, vertexOfPod, c.name, names) }))
      .filter((x) => !focus || x.waypoints.length > 0);
    const serviceCols = Math.max(1, Math.floor(rowWidth / (CELL_W + GAP)));
    const serviceRows = Math.ceil(chips.length / serviceCols);
    const top = CLUSTER_HEADER + (serviceRows ? serviceRows * (SERVICE_H + GAP) + GAP : 0);

    let x = clusterX + PAD;
    let y = top;
    let rowH = 0;
    let usedW = 0;
    for (const s of sized) {
      if (x > clusterX + PAD && x - clusterX + s.w > rowWidth + PAD) {
        x = clusterX + PAD;
        y += rowH + GAP * 2;
        rowH = 0;
      }
      nodes.push({ cluster: c.name, name: s.n.name, zone: s.n.zone, x, y, w: s.w, h: s.h });
      const zt = s.ztunnel;
      if (zt) {
        vertices.push({
          id: `zt|${zt.key}`, label: zt.name, namespace: zt.namespace, role: 'ztunnel', enrollment: 'none',
          cluster: c.name, node: s.n.name, pods: 1, x: x + PAD, y: y + NODE_HEADER, w: s.w - 2 * PAD, h: ZTUNNEL_H,
        });
      }
      let i = 0;
      for (const [id, pods] of s.groups) {
        const col = i % s.cols;
        const row = Math.floor(i / s.cols);
        const p = pods[0]!;
        vertices.push({
          id, label: labelOf(pods, grouping), namespace: p.namespace, role: p.role, enrollment: enrollmentOf(pods),
          cluster: c.name, node: s.n.name, pods: pods.length,
          x: x + PAD + col * (CELL_W + GAP), y: y + NODE_HEADER + ZTUNNEL_H + GAP + row * (CELL_H + GAP), w: CELL_W, h: CELL_H,
        });
        i++;
      }
      x += s.w + GAP * 2;
      usedW = Math.max(usedW, x - clusterX);
      rowH = Math.max(rowH, s.h);
    }
    const width = Math.max(usedW, CELL_W + 2 * PAD, chips.length ? rowWidth : 0) + PAD;
    chips.forEach(({ service, waypoints }, j) => {
      services.push({
        id: `svc|${c.name}|${service}`, cluster: c.name, service, waypoints,
        x: clusterX + PAD + (j % serviceCols) * (CELL_W + GAP), y: CLUSTER_HEADER + Math.floor(j / serviceCols) * (SERVICE_H + GAP), w: CELL_W, h: SERVICE_H,
      });
    });
    const h = y + rowH + PAD;
    clusters.push({ name: c.name, network: c.network, x: clusterX, y: 0, w: width, h });
    height = Math.max(height, h);
    clusterX += width + CLUSTER_GAP;
  }
  return { grouping, width: Math.max(clusterX - CLUSTER_GAP, 0), height, clusters, nodes, vertices, services, vertexOfPod };
}

/** The vertices drawing the pods of the named waypoints (`namespace/name`) in one cluster. */
function waypointVertices(index: TopologyIndex, vertexOfPod: Map<string, string>, cluster: string, names: string[]): string[] {
  const wanted = new Set(names);
  const out = new Set<string>();
  for (const p of index.pods.values()) {
    const v = vertexOfPod.get(p.key);
    if (v !== undefined && p.cluster === cluster && p.role === 'waypoint' && wanted.has(`${p.namespace}/${p.workload ?? p.name}`)) out.add(v);
  }
  return [...out];
}
