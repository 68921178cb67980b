// The MLflow entities every store and Plugboard's database hold, in MLflow's REST JSON shapes (camelCase).

/** A run's status; the store enforces no state machine between them. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** The statuses a run may take, in MLflow's order. */
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** Soft-delete state of an experiment or a run. */
export type LifecycleStage = 'active' | 'deleted';

/** A run or experiment tag; tags are mutable, the last write wins. */
export interface RunTag {
  key: string;
  value: string;
}

/** An experiment tag. */
export type ExperimentTag = RunTag;

/** A run parameter; immutable once logged. */
export interface Param {
  key: string;
  value: string;
}

/** One metric point; NaN and ±Infinity are legal values. `timestamp` is ms since the epoch. */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** What `logMetric` accepts: `timestamp` defaults to now and `step` to 0. */
export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

/** A run's metadata. `endTime` is null while the run has not ended. */
export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  lifecycleStage: LifecycleStage;
  artifactUri: string;
}

/** A run's data: the latest value per metric key, its params and its tags. */
export interface RunData {
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

/** A dataset as MLflow keeps it: `digest` identifies its content; `schema` and `profile` are optional JSON text. */
export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

/** A dataset logged as a run input, with its input tags (`mlflow.data.context` = `train`, `eval`, …). */
export interface DatasetInput {
  dataset: Dataset;
  tags: RunTag[];
}

/** A run's inputs: its datasets in the order first logged, each input's tags ordered by key, as MLflow reads them. */
export interface RunInputs {
  datasetInputs: DatasetInput[];
}

/** A run as `getRun` and `searchRuns` return it; stores that keep dataset inputs also give `inputs`. */
export interface Run {
  info: RunInfo;
  data: RunData;
  inputs?: RunInputs;
}

/** An experiment. Times are ms since the epoch. */
export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: ExperimentTag[];
}
