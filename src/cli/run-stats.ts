// `meshsim run --stats`: where a run's wall-clock time and memory went, printed on stderr so the
// report on stdout stays the same with or without it. The load is timed in the phases the scale
// bench reports (cluster state, then istiod's view of the mesh), and the heap is measured after a
// full collection on either side of the load, so garbage left by parsing does not count.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RunResult, StepResult } from '../result/types';
import type { World } from '../run/world';
import { latencyRuntime } from '../run/latency';
import { count, duration, mib, peakRss } from './stats-text';

/** A full garbage collection, without asking the user to start node with --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Requests the clients of every step sent, those of `run:` scripts and parallel groups included. */
export function requestsOf(steps: readonly StepResult[]): number {
  let n = 0;
  for (const s of steps) n += (s.summary?.count ?? 0) + (s.steps ? requestsOf(s.steps) : 0);
  return n;
}

/** What a World holds once its initial resources are applied. */
export interface MeshSize {
  clusters: number;
  nodes: number;
  namespaces: number;
  services: number;
  pods: number;
}

export function meshSize(world: World): MeshSize {
  const size: MeshSize = { clusters: world.clusters.size, nodes: 0, namespaces: 0, services: 0, pods: 0 };
  for (const c of world.clusters.values()) {
    size.nodes += c.list('Node').length;
    size.namespaces += c.list('Namespace').length;
    size.services += c.list('Service').length;
    size.pods += c.list('Pod').length;
  }
  return size;
}

/** The figures of one scenario's run. */
export interface ScenarioStats {
  scenario: string;
  seed: number;
  size: MeshSize;
  clusterStateMs: number;
  meshViewMs: number;
  /** Heap the loaded World holds: after a full collection, less what the heap held before it. */
  loadedHeapBytes: number;
  playMs: number;
  /** Simulated time the steps covered. */
  simulatedMs: number;
  steps: number;
  requests: number;
  /** Calls the answering apps made while the requests were played. */
  calls: number;
  events: number;
}

/**
 * Meshes smaller than this get no bytes-per-pod figure: their heap after the load is mostly the
 * code V8 compiled for it (bytecode and type feedback live on the heap too).
 */
const PER_POD_FROM = 1000;

/** Measures the runs of one `meshsim run`; `parsed` once the scenarios are read, then `around` each run. */
export class RunStats {
  private readonly gc = collector();
  private readonly started = performance.now();
  private parseMs = 0;
  private scenarioCount = 0;
  private readonly runs: ScenarioStats[] = [];

  parsed(scenarios: number): void {
    this.parseMs = performance.now() - this.started;
    this.scenarioCount = scenarios;
  }

  /**
   * Runs `run` with an `onLoaded` hook that times the load, builds each cluster's view of the mesh
   * (as the first request would: views depend on cluster state alone, so the run plays the same)
   * and weighs the heap.
   */
  async around(run: (onLoaded: (world: World) => void) => Promise<RunResult>): Promise<RunResult> {
    this.gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let loaded: { world: World; size: MeshSize; clusterStateMs: number; meshViewMs: number; heap: number; playFrom: number; simFrom: number } | undefined;
    const result = await run((world) => {
      const t1 = performance.now();
      for (const name of world.clusters.keys()) world.view(name);
      const t2 = performance.now();
      const size = meshSize(world);
      this.gc();
      loaded = { world, size, clusterStateMs: t1 - t0, meshViewMs: t2 - t1, heap: process.memoryUsage().heapUsed - heapBefore, playFrom: performance.now(), simFrom: world.now };
    });
    const end = performance.now();
    if (loaded) {
      this.runs.push({
        scenario: result.scenario,
        seed: result.seed,
        size: loaded.size,
        clusterStateMs: loaded.clusterStateMs,
        meshViewMs: loaded.meshViewMs,
        loadedHeapBytes: Math.max(0, loaded.heap),
        playMs: end - loaded.playFrom,
        simulatedMs: loaded.world.now - loaded.simFrom,
        steps: result.steps.length,
        requests: requestsOf(result.steps),
        calls: latencyRuntime(loaded.world).calls,
        events: loaded.world.sim.eventsProcessed,
      });
    }
    return result;
  }

  /** The lines `--stats` prints. */
  render(): string {
    const lines = [`stats: ${count(this.scenarioCount, 'scenario')} read, parsed and checked in ${duration(this.parseMs)}`];
    for (const r of this.runs) {
      const s = r.size;
      const perSecond = r.playMs > 0 ? ` (${Math.round((r.requests * 1000) / r.playMs).toLocaleString('en-US')}/s)` : '';
      const perPod = s.pods >= PER_POD_FROM ? `, ${Math.round(r.loadedHeapBytes / s.pods).toLocaleString('en-US')} B per pod` : '';
      lines.push(
        `${r.scenario} (seed ${r.seed}):`,
        `  mesh     ${count(s.clusters, 'cluster')}, ${count(s.nodes, 'node')}, ${count(s.namespaces, 'namespace')}, ${count(s.services, 'service')}, ${count(s.pods, 'pod')} once the resources are applied`,
        `  load     cluster state ${duration(r.clusterStateMs)}, mesh view ${duration(r.meshViewMs)}`,
        `  play     ${count(r.steps, 'step')} in ${duration(r.playMs)} for ${duration(r.simulatedMs)} of simulated time: ${count(r.requests, 'request')}${perSecond}${r.calls ? ` making ${count(r.calls, 'call')}` : ''}, ${count(r.events, 'simulated event')}`,
        `  memory   the loaded mesh holds ${mib(r.loadedHeapBytes)} of heap${perPod} (after a full collection)`,
      );
    }
    lines.push(peakRss());
    return `${lines.join('\n')}\n`;
  }
}
