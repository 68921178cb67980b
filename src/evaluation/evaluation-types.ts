import type { ModuleDigest } from './module-provenance.ts';
import type { DataRecord, MetricResult, ModelProvenance } from '../sdk/index.ts';

/** What an evaluation reads: a File or Blob, a URL (or a string URL; in Node a file path), or records already in memory. */
export type EvaluationSource = Blob | URL | string | readonly DataRecord[];

/** Which fields of a record hold the prediction and the reference (a reference may be an array of several). */
export interface EvaluationColumns {
  prediction: string;
  reference: string;
}

/** Where an evaluation stands: rows scored, and bytes read of `totalBytes` when the source's size is known. */
export interface EvaluationProgress {
  rows: number;
  bytes: number;
  totalBytes?: number;
}

/** Run logging for `evaluate`: a run is started in this tracking store, filled, and ended. */
export interface EvaluationLogOptions {
  /** The tracking URI (default `idb:`, the host's own store). */
  trackingUri?: string;
  experimentId?: string;
  runName?: string;
  /** The uploaded file is saved as an artifact when it is at most this many bytes (default 10 MiB; 0 saves none). */
  maxArtifactBytes?: number;
  /** Extra tags for the run. */
  tags?: Record<string, string>;
}

/** One call from data to scores. */
export interface EvaluationRequest {
  source: EvaluationSource;
  /** A `codex_ml.data_loaders` name; default: chosen from the file name's extension (records need none). */
  loader?: string;
  /** Options for the data loader, e.g. `{ delimiter: ';' }`. */
  loaderOptions?: Record<string, unknown>;
  /** Default `{ prediction: 'prediction', reference: 'reference' }`. */
  columns?: Partial<EvaluationColumns>;
  /** Metric names, or metric names mapped to their options. */
  metrics: readonly string[] | Readonly<Record<string, Record<string, unknown>>>;
  /** Aborting stops the read at the next chunk, terminates Workers, and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called as rows are scored (at most about every batch). */
  onProgress?: (progress: EvaluationProgress) => void;
  /** Module Workers to score in (0: in this thread; default 0). Sources split across them when big enough. */
  workers?: number;
  /**
   * Reject with WORKERS_UNAVAILABLE when the Workers cannot start or import the plugins, instead of scoring in
   * this thread and saying why in `workersUnavailable` (the default).
   */
  workersRequired?: boolean;
  /** Skip malformed rows and rows whose prediction or reference is missing or null, and count them. */
  skipInvalid?: boolean;
  /** Records per metric update (default 1024). */
  batchSize?: number;
  /** The name errors and the run use for the source; default the file name or URL. */
  sourceName?: string;
  /** Logs the evaluation as a run when given. */
  log?: EvaluationLogOptions;
}

/** Which code produced a score: a plugin's entry point, and the SHA-384 of the module bytes that ran. */
export interface PluginProvenance {
  group: string;
  name: string;
  url: string;
  /** The version the manifest declares (the package version for built-in plugins), when it declares one. */
  version?: string;
  /** `sha384-<base64>` of the entry module's bytes as fetched and run; absent for a plugin registered by object. */
  sha384?: string;
  /** Every other module of the plugin's code: what the entry imports, and what it may import on demand (see `moduleGraphOf`). */
  modules?: ModuleDigest[];
}

/** A row an evaluation skipped, for a report. */
export interface SkippedRow {
  row: number;
  line?: number;
  field?: string;
  reason: string;
}

/** What `evaluate` resolves with. */
export interface EvaluationResult {
  /** Each metric's result, keyed by metric name, in the order asked for. */
  scores: Record<string, MetricResult>;
  /** Rows scored. */
  rows: number;
  /** Rows skipped: malformed, or with a missing or null prediction or reference (only with `skipInvalid`). */
  skipped: number;
  /** The first few skipped rows (at most five). */
  skippedExamples: SkippedRow[];
  loader: string | undefined;
  columns: EvaluationColumns;
  /** Each metric's options as given. */
  options: Record<string, Record<string, unknown>>;
  /** Every plugin that touched the result: the data loader first, then the metrics. */
  provenance: PluginProvenance[];
  /**
   * The models each metric ran, by metric name (`ppl` with `model_id`, `embedding_similarity`): as each metric
   * recorded them through its MetricContext — folder, dtype, and every file with its SHA-384. A metric that
   * ran no model has no entry, so `{}` when none did.
   */
  models: Record<string, ModelProvenance[]>;
  /** The source as errors and runs name it. */
  sourceName: string;
  /** Bytes of the source when known. */
  bytes?: number;
  /** The run the evaluation was logged as, when `log` was given. */
  runId?: string;
  /** How many Workers scored it (0 in this thread). */
  workers: number;
  /** Why Workers were asked for and this thread scored instead: they could not start or import the plugins. */
  workersUnavailable?: string;
  durationMs: number;
}
