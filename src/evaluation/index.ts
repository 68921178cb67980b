// Evaluation: one call from a file, URL or records to scores — loader, columns, metrics, progress, cancel, Workers, run logging.
export { evaluate, prepareEvaluation, metricOptionsOf, DEFAULT_BATCH_SIZE } from './evaluate.ts';
export type { EvaluationHost, WorkerPlan, WorkerPlugin, WorkerOutcome, WorkerScorer, WorkerWarmUp } from './evaluate.ts';
export { scoreSource } from './score-source.ts';
export type { ScoreSourceOptions } from './score-source.ts';
export type {
  EvaluationRequest, EvaluationResult, EvaluationSource, EvaluationColumns, EvaluationProgress, EvaluationLogOptions, PluginProvenance, SkippedRow,
} from './evaluation-types.ts';
export { chooseLoader, extensionOf, nameOf, LOADER_BY_EXTENSION } from './choose-loader.ts';
export { prepareMetric, startMetric, isAccumulator } from './metric-run.ts';
export type { MetricRun } from './metric-run.ts';
export { scoreRecords } from './score-records.ts';
export type { ScoreOptions, ScoreTally } from './score-records.ts';
export { RecordError } from './record-error.ts';
export type { RecordPlace } from './record-error.ts';
export { logEvaluation, metricValuesOf, provenanceTag, pluginProvenanceTags, digestOf, DEFAULT_MAX_ARTIFACT_BYTES } from './log-evaluation.ts';
// The model tag is shared with training runs; its home is the ModelProvenance contract.
export { modelProvenanceTag, modelTagValue } from '../adapters/index.ts';
export type { EvaluationTracking } from './log-evaluation.ts';
export { countingBlob } from './counting-blob.ts';
export { moduleGraphOf, resolveSpecifier } from './module-provenance.ts';
export type { ModuleDigest, ModuleGraphReader } from './module-provenance.ts';
export { provenanceChanges, modelFileChanges, describeProvenanceChanges } from './provenance-changes.ts';
export type { ProvenanceChange, ModelFileState } from './provenance-changes.ts';
