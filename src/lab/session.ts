// A lab session: one World that a script's kubectl, istioctl, curl and sleep calls act on, the
// current kubectl context, and every request curl sent (recorded like a request step's).
import type { Cluster } from '../cluster';
import type { RequestRecord } from '../result/types';
import type { World } from '../run/world';
import { fail, type CommandResult, type Invocation } from './invocation';
import { runCurlTool, runHostnameTool } from './curl-tool';
import { runIstioctl } from './istioctl';
import { runKubectl } from './kubectl';
import { runSleep } from './sleep';

/** Simulated time each kubectl/istioctl call takes (so AGE moves and rollouts progress). */
export const COMMAND_TICK_MS = 100;

export interface LabOptions {
  /** The default kubectl context (a cluster name). */
  context: string;
  /** Prefix of the random-stream names of requests (a run step's name), for determinism. */
  label?: string;
  tickMs?: number;
}

export class LabSession {
  context: string;
  readonly requests: RequestRecord[] = [];
  /** Files written inside pods (`curl -o FILE`), by `namespace/pod` then path. */
  readonly podFiles = new Map<string, Map<string, string>>();
  readonly label: string;
  private readonly tickMs: number;
  private requestCount = 0;

  constructor(
    readonly world: World,
    opts: LabOptions,
  ) {
    this.context = opts.context;
    this.label = opts.label ?? 'lab';
    this.tickMs = opts.tickMs ?? COMMAND_TICK_MS;
  }

  get contexts(): string[] {
    return [...this.world.clusters.keys()];
  }

  /** The cluster of a context name; undefined when no cluster has that name. */
  clusterOf(context: string): Cluster | undefined {
    return this.world.clusters.get(context);
  }

  /** Wall-clock time of the simulated now (epoch ms). */
  get nowEpochMs(): number {
    return this.world.scenario.startTime + this.world.now;
  }

  /** Moves simulated time forward and lets controllers catch up. */
  advance(ms: number): void {
    this.world.sim.run(this.world.now + Math.max(0, ms));
    this.world.settle();
  }

  nextRequestName(): string {
    return `${this.label}/curl#${++this.requestCount}`;
  }

  record(r: RequestRecord): void {
    this.requests.push({ ...r, id: this.requests.length + 1 });
  }

  handle(inv: Invocation): CommandResult {
    let result: CommandResult;
    try {
      switch (inv.tool) {
        case 'kubectl':
          result = runKubectl(this, inv);
          break;
        case 'istioctl':
          result = runIstioctl(this, inv);
          break;
        case 'sleep':
          return runSleep(this, inv.args);
        case 'curl':
          return runCurlTool(this, inv);
        case 'hostname':
          return runHostnameTool(this, inv);
        default:
          return fail(`meshsim: unknown lab tool ${inv.tool}`, 127);
      }
    } catch (e) {
      result = fail(`meshsim: internal error in ${inv.tool}: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
    this.advance(this.tickMs);
    return result;
  }
}
