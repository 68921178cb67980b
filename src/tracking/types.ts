// The tracking store's contract: its entities (shared with every store, in `store-kit`), inputs, pages and methods.

export type { RunStatus, LifecycleStage, RunTag, ExperimentTag, Param, Metric, MetricInput, RunInfo, RunData, Run, Experiment, Dataset, DatasetInput, RunInputs } from '../store-kit/index.ts';
export { RUN_STATUSES } from '../store-kit/index.ts';
import type { DatasetInput, ExperimentTag, LifecycleStage, Metric, MetricInput, Param, Run, RunInfo, RunStatus, RunTag, Experiment } from '../store-kit/index.ts';

/** Which lifecycle stages a search returns. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** Arguments of `createRun`. */
export interface CreateRunInput {
  experimentId: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags?: RunTag[];
}

/** Arguments of `updateRunInfo`; an absent (or empty-name) field leaves the value as it is. */
export interface UpdateRunInput {
  status?: RunStatus;
  endTime?: number | null;
  runName?: string;
}

/** The lists `logBatch` writes, all or nothing. */
export interface LogBatchInput {
  metrics?: MetricInput[];
  params?: Param[];
  tags?: RunTag[];
}

/** Arguments of `searchRuns`. */
export interface SearchRunsInput {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string | null;
}

/** One page of runs; `nextPageToken` is null on the last page. */
export interface RunsPage {
  runs: Run[];
  nextPageToken: string | null;
}

/** Arguments of `getMetricHistoryBulkInterval`: 1 to 100 runs, one metric, an optional step range (both ends or neither). */
export interface MetricHistoryIntervalInput {
  runIds: string[];
  metricKey: string;
  /** First step of the range, inclusive; needs `endStep`. */
  startStep?: number;
  /** Last step of the range, inclusive; needs `startStep`. */
  endStep?: number;
  /** Points per run, 1 to 2500 (2500 when absent). */
  maxResults?: number;
}

/** A metric point with the run it belongs to, as bulk history reads return it. */
export interface MetricWithRunId extends Metric {
  runId: string;
}

/** Arguments of `searchExperiments`. */
export interface SearchExperimentsInput {
  viewType?: ViewType;
  maxResults?: number;
  filter?: string;
  orderBy?: string[];
  pageToken?: string | null;
}

/** One page of experiments; `nextPageToken` is null on the last page. */
export interface ExperimentsPage {
  experiments: Experiment[];
  nextPageToken: string | null;
}

/**
 * MLflow's tracking AbstractStore, camelCase and promise-based. Every failure rejects with a `TrackingError`
 * whose `code` is one of MLflow's error codes.
 */
export interface TrackingStore {
  /** Creates an experiment and resolves with its id; a taken name (deleted ones included) is RESOURCE_ALREADY_EXISTS. */
  createExperiment(name: string, options?: { artifactLocation?: string; tags?: ExperimentTag[] }): Promise<string>;
  /** Resolves with the experiment, deleted ones included; an unknown id is RESOURCE_DOES_NOT_EXIST. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Resolves with the experiment of that exact name, or null when there is none. */
  getExperimentByName(name: string): Promise<Experiment | null>;
  /** Lists experiments, by default active ones newest first (creation_time DESC, then experiment_id ASC, as MLflow's SQL store). */
  searchExperiments(input?: SearchExperimentsInput): Promise<ExperimentsPage>;
  /** Renames an active experiment; the new name must be free. */
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** Soft-deletes an experiment and its runs; idempotent. */
  deleteExperiment(experimentId: string): Promise<void>;
  /** Restores a soft-deleted experiment and its runs; idempotent. */
  restoreExperiment(experimentId: string): Promise<void>;
  /** Sets (or overwrites) a tag of an active experiment. */
  setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void>;
  /** Deletes a tag of an active experiment; a missing tag is RESOURCE_DOES_NOT_EXIST. */
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;
  /** Creates a RUNNING run in an active experiment. */
  createRun(input: CreateRunInput): Promise<Run>;
  /** Resolves with the run, deleted ones included; an unknown id is RESOURCE_DOES_NOT_EXIST. */
  getRun(runId: string): Promise<Run>;
  /** Updates status, end time and name of an active run and resolves with the new info. */
  updateRunInfo(runId: string, input: UpdateRunInput): Promise<RunInfo>;
  /** Soft-deletes a run; idempotent. */
  deleteRun(runId: string): Promise<void>;
  /** Restores a soft-deleted run; idempotent. */
  restoreRun(runId: string): Promise<void>;
  /** Appends one metric point. */
  logMetric(runId: string, metric: MetricInput): Promise<void>;
  /** Logs a param; the same value again is a no-op, a different value is INVALID_PARAMETER_VALUE. */
  logParam(runId: string, param: Param): Promise<void>;
  /** Sets (or overwrites) a run tag; `mlflow.runName` also renames the run. */
  setTag(runId: string, tag: RunTag): Promise<void>;
  /** Deletes a run tag; a missing tag is RESOURCE_DOES_NOT_EXIST. */
  deleteTag(runId: string, key: string): Promise<void>;
  /** Writes metrics, params and tags all or nothing; limits are checked before anything is written. */
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  /** Resolves with every point of one metric, ordered by step then timestamp (then value), duplicates once. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** Searches runs with MLflow's filter grammar, order_by and page tokens. */
  searchRuns(input: SearchRunsInput): Promise<RunsPage>;
  /**
   * MLflow's chart read (`get-history-bulk-interval`): for each run, in the order given, at most `maxResults`
   * points of one metric evenly sampled by position in step order, first and last point kept; an unknown run
   * adds nothing. Optional: `readSampledHistories` samples `getMetricHistory` for stores without it.
   */
  getMetricHistoryBulkInterval?(input: MetricHistoryIntervalInput): Promise<MetricWithRunId[]>;
  /**
   * Logs datasets as inputs of an active run, as MLflow's `log_inputs`: a dataset already logged to the run
   * (same name and digest) is kept once with its first tags, and one already known in the experiment keeps the
   * source, schema and profile it was first logged with. Optional: stores without it keep no inputs.
   */
  logInputs?(runId: string, datasets: readonly DatasetInput[]): Promise<void>;
}
