// Tracking: MLflow's tracking store contract, its IndexedDB store, the write rules any store can reuse, the fluent API and scheme → store resolution.
export type * from './types.ts';
export { RUN_STATUSES } from './types.ts';
export { TrackingError, hasTrackingCode, HTTP_STATUS_OF, validateKey, validateMaxResults, normalizePosixPath } from '../store-kit/index.ts';
export {
  missingRun,
  missingExperiment,
  missingTag,
  requireActiveRun,
  requireActiveExperiment,
  renameOfInactiveExperiment,
  experimentNameTaken,
} from './store-errors.ts';
export type { TrackingErrorCode, TrackingErrorDetails } from '../store-kit/index.ts';
export { IdbTrackingStore, DEFAULT_EXPERIMENT, truncationWarning } from './idb-tracking-store.ts';
export type { IdbTrackingStoreOptions } from './idb-tracking-store.ts';
export {
  LIMITS,
  validateParam,
  validateRunTag,
  validateExperimentTag,
  validateMetric,
  validateBatch,
  storedMetricValue,
  validateRunId,
  validateExperimentId,
  validateExperimentName,
  validateRunStatus,
  validateArtifactLocation,
} from './validation.ts';
export type { ValidatedBatch, TruncatedValue } from './validation.ts';
export { applyBatch, resolveRunName, isNewerMetric, isSamePoint, compareHistoryPoints, orderHistory, toTagList, RUN_NAME_TAG, PARENT_RUN_ID_TAG } from './run-rules.ts';
export { generateRunName, generateRunId } from './run-name.ts';
export { selectRuns, selectExperiments, compileRunSearch, pageRuns, viewTypeTest, SEARCH_MAX_RESULTS_DEFAULT, SEARCH_MAX_RESULTS_THRESHOLD } from './select.ts';
export type { CompiledRunSearch } from './select.ts';
export { FluentTracking, createFluentTracking } from './fluent.ts';
export { copyRun } from './copy-run.ts';
export { DATASET_LIMITS, validateDatasetInputs, mergeDatasetInputs } from './dataset-inputs.ts';
export { HISTORY_INTERVAL_LIMITS, checkHistoryInterval, sampleHistory, historyIntervalFromHistories, readSampledHistories } from './history-interval.ts';
export type { CheckedHistoryInterval } from './history-interval.ts';
export type { RunCopy, RunCopySide, RunCopyOptions, RunCopyProgress, CopiedDatasetInput } from './copy-run.ts';
export type { FluentTrackingOptions, StartRunOptions, ArtifactSink } from './fluent.ts';
export { resolveContextTags } from './context-tags.ts';
export type { NamedContextProvider } from './context-tags.ts';
export { schemeOf, idbDatabaseOf, DEFAULT_STORE_URI } from './store-uri.ts';
