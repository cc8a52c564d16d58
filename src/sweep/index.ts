// Sweeps: replications over seeds and parameter combinations, merged with confidence intervals.
export { runSweep, type SweepOptions, type SweepOutcome, type SweepResult } from './sweep';
export { combinationCount, combinations, parseSeeds, parseSet, sweepProblems, type Combination, type SetParam } from './spec';
export { mergeReplications, type SweepCombination, type SweepStep } from './merge';
export { meanCI, tQuantile975, type MeanCI } from './confidence';
export { replicate, type Replication, type RunLatency, type StepStats } from './replicate';
export { renderSweepText } from './text';
