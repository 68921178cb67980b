import type { Experiment, Metric, Run } from '../store-kit/index.ts';

/**
 * An experiment as stored: the REST shape plus when it was deleted. Invariant: `name` is unique across active
 * and deleted experiments (a unique index).
 */
export interface ExperimentRecord extends Experiment {
  /** When the experiment was soft-deleted, or null; its runs deleted with it carry the same time. */
  deletedTime: number | null;
}

/** Where a metric key's history stands: how many chunks it has and how full the last one is. */
export interface MetricSeriesState {
  chunks: number;
  lastChunkSize: number;
}

/**
 * A run as stored: the REST shape (`info`, `data` with the latest metric per key, params, tags) so that
 * `getRun` and `searchRuns` read one record per run, plus bookkeeping. Invariants: `data.metrics` holds one
 * entry per key, the greatest by (step, timestamp, value); `info.runName` equals the `mlflow.runName` tag.
 */
export interface RunRecord extends Run {
  runId: string;
  experimentId: string;
  deletedTime: number | null;
  /** Chunk bookkeeping per metric key (a Map: keys such as `__proto__` are legal metric keys). */
  series: Map<string, MetricSeriesState>;
}

/** A slice of one metric key's history: parallel arrays, in arrival order (sorted when read). */
export interface MetricChunkRecord {
  runId: string;
  key: string;
  chunkNo: number;
  steps: number[];
  timestamps: number[];
  values: number[];
}

/** A version-1 metric record (one point each), kept only to migrate old databases. */
export interface LegacyMetricRecord extends Metric {
  runId: string;
}

/** One committed write to runs: the ids it touched. `version` grows by one per write (auto-increment). */
export interface RunChangeRecord {
  version?: number;
  runIds: string[];
}
