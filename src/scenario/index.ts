// The scenario format and the loading of scenarios and manifests, with positions for every problem.
export { DiagnosticCollector, errorAt, fileLevel, formatDiagnostic, hasErrors, sortDiagnostics, warningAt } from './diagnostics';
export type { Diagnostic, Severity, SourcePos } from './diagnostics';
export { parseYaml } from './yaml-source';
export type { ParsedYaml, Path, PositionMapper, SourceDoc } from './yaml-source';
export { loadManifestText, loadManifests } from './manifests';
export type { LoadedResource, ManifestLoad, ManifestOptions, RejectedObject } from './manifests';
export { durationValue, parseDuration } from './duration';
export type { Parsed } from './duration';
export { compare, parseComparator, parseRate } from './expressions';
export type { CompareOp, Comparator, ComparatorKind } from './expressions';
export { DEFAULT_CLUSTER, DEFAULT_NETWORK, DEFAULT_REGION, DEFAULT_ZONE, loadScenario, loadScenarioText, loadScenarios, scenarioFiles } from './load';
export type { ScenarioLoad, ScenariosLoad } from './load';
export { STEP_KINDS } from './steps';
export { SCENARIO_API_VERSION } from './types';
export type * from './types';
