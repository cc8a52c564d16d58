// Public API of the analyzer: offline diagnostics of manifests (meshsim analyze) and the engine
// behind lab mode's `istioctl analyze`.
export { analyzeObjects, isSuppressed, parseSuppression, sortFindings } from './analyze';
export { ALL_MESSAGE_TYPES, IST, MSH, messageType, type Level, type MessageType } from './codes';
export { exceedsThreshold, formatFinding, formatFindings, formatFindingsLog, istioctlMessages, noIssuesLine, type LogOptions } from './format';
export type { AnalyzeOptions, AnalyzedResource, Finding, Suppression } from './types';
