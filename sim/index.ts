/** The discrete-event kernel: clock and events, random streams, distributions, stations, statistics. */
export { Simulation, type SimulationOptions } from './simulation';
export { EventQueue, type EventId, type Handler } from './event-queue';
export { Rng, Streams, streams, type Seed } from './random';
export {
  Constant,
  Uniform,
  Exponential,
  Normal,
  LogNormal,
  Empirical,
  distribution,
  normalQuantile,
  isDistributionError,
  type Distribution,
  type DistributionSpec,
  type DistributionError,
} from './distributions';
export { Station, type StationDone, type StationOptions, type StationStats } from './station';
export { TimelineStation, type TimelineStationStats } from './timeline-station';
export { LatencyStats, LogSketch, Counter, type LatencyRun, type LatencyStatsOptions, type LogSketchSnapshot } from './stats';
