// The report writers: text for people, JUnit/OTLP/Prometheus for machines.
export { renderText, type TextOptions } from './text';
export { renderJUnit } from './junit';
export { renderOtlpTraces, DEFAULT_START_TIME_UNIX_MS, type OtlpOptions } from './otlp';
export type { OtlpTracesRequest } from './otlp-types';
export { MetricsCollector, renderMetrics } from './metrics';
