/** An open queueing model on the kernel: Poisson arrivals into one FCFS station, exponential service. */
import { Exponential, Simulation, Station, type StationStats } from '../../sim';

export interface OpenQueueParams {
  seed: number | string;
  servers: number;
  arrivalRate: number; // per ms
  serviceRate: number; // per server, per ms
  customers: number;
  queueCapacity?: number;
}

export interface OpenQueueResult {
  meanTimeInSystem: number;
  station: StationStats;
  events: number;
}

export function runOpenQueue(p: OpenQueueParams): OpenQueueResult {
  const sim = new Simulation({ seed: p.seed });
  const station = new Station(sim, { name: 'q', servers: p.servers, queueCapacity: p.queueCapacity });
  const interarrival = new Exponential(1 / p.arrivalRate);
  const service = new Exponential(1 / p.serviceRate);
  const arrivals = sim.stream('arrivals');
  const services = sim.stream('service');
  let arrived = 0;
  let totalInSystem = 0;
  let completed = 0;
  const done = (arrivedAt: number, _wait: number, rejected: boolean): void => {
    if (rejected) return;
    totalInSystem += sim.now - arrivedAt;
    completed++;
  };
  const arrive = (s: Simulation): void => {
    station.requestCall(service.sample(services), done, s.now);
    if (++arrived < p.customers) s.schedule(interarrival.sample(arrivals), arrive);
  };
  sim.schedule(interarrival.sample(arrivals), arrive);
  sim.run();
  return { meanTimeInSystem: totalInSystem / completed, station: station.stats(), events: sim.eventsProcessed };
}

/** Erlang C: mean time in system of M/M/c. */
export function mmcTimeInSystem(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const rho = a / c;
  let sum = 0;
  let term = 1; // a^k / k!
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  // term is now a^c / c!
  const tail = term / (1 - rho);
  const pWait = tail / (sum + tail);
  return pWait / (c * mu - lambda) + 1 / mu;
}
