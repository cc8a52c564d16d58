// Public API of explain (`meshsim request --explain`, `explain: true` on request steps) and diff.
export { explainRequest, type ExplainOptions } from './explain';
export { explainStep, firstToExplain } from './step';
export { playScenario, stepNames, type PlayOptions, type Played } from './play';
export { flowKey, flowsOfSteps, meshStateOf, probeFlows, sendFlow, type Flow } from './flows';
export { diffVariants, type DiffInput, type DiffResult, type FlowChange, type FlowOutcome } from './diff';
export { indexesFor, type MeshState } from './state';
export type { ExplainedHop, ExplainedRequest, FailedAttempt, Observed, RouteStep } from './types';
