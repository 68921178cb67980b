import type { DataLoader, DataRecord, MetricResult } from '../sdk/index.ts';
import { chooseLoader, nameOf } from './choose-loader.ts';
import type { EvaluationColumns, EvaluationProgress, EvaluationRequest, EvaluationResult, EvaluationSource, PluginProvenance } from './evaluation-types.ts';
import { logEvaluation, type EvaluationTracking } from './log-evaluation.ts';
import { startMetric } from './metric-run.ts';
import { scoreRecords } from './score-records.ts';
import { countingBlob } from './counting-blob.ts';
// The error's own file, not the loaders' door: the host must not carry the loaders' code.
import { noRowsError } from '../plugins/data-loaders/no-rows-error.ts';

/** What an evaluation needs of the host: loading plugins, their provenance, and (to log a run) its tracking. */
export interface EvaluationHost {
  load<T = unknown>(group: string, name: string): Promise<T>;
  provenance(group: string, name: string): Promise<PluginProvenance | undefined>;
  tracking?(options?: { uri?: string; defaultExperimentId?: string }): EvaluationTracking;
}

/** Scores a source in Workers; given by the caller that can start them (see `plugboard/worker`). */
export type WorkerScorer = (plan: WorkerPlan) => Promise<{ states: Record<string, unknown>; rows: number; skipped: number; skippedExamples: EvaluationResult['skippedExamples']; workers: number }>;

/** What Workers are asked to do. */
export interface WorkerPlan {
  source: Blob;
  sourceName: string;
  loader: string;
  loaderOptions: Record<string, unknown>;
  columns: EvaluationColumns;
  metrics: Record<string, Record<string, unknown>>;
  provenance: PluginProvenance[];
  workers: number;
  skipInvalid: boolean;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (progress: EvaluationProgress) => void;
}

const DATA_LOADERS = 'codex_ml.data_loaders';
const METRICS = 'codex_ml.metrics';
/** Records per metric update: few enough that a batch's records die young in the garbage collector. */
export const DEFAULT_BATCH_SIZE = 1024;

/** Normalises `metrics` (names, or names mapped to options) to names mapped to options. */
export function metricOptionsOf(metrics: EvaluationRequest['metrics']): Record<string, Record<string, unknown>> {
  if (Array.isArray(metrics)) return Object.fromEntries((metrics as readonly string[]).map((name) => [name, {}]));
  return Object.fromEntries(Object.entries(metrics as Record<string, Record<string, unknown>>).map(([name, options]) => [name, { ...options }]));
}

/**
 * Goes from a source to scores: chooses and loads the data loader and the metrics (side by side), streams
 * the records in batches into every metric — in this thread, or in Workers when `workers` > 0 and a
 * `scoreInWorkers` is given — and finishes each metric. Resolves with the scores, the row and skip counts
 * and the provenance of every plugin that ran; with `log`, the evaluation is also kept as a run. Rejects
 * with NO_ROWS when no row was left to score, the plugin's load error, a RecordError naming the record's place and field, or the signal's reason.
 */
export async function evaluate(host: EvaluationHost, request: EvaluationRequest, scoreInWorkers?: WorkerScorer): Promise<EvaluationResult> {
  const started = performance.now();
  const signal = request.signal;
  signal?.throwIfAborted();
  const columns: EvaluationColumns = { prediction: request.columns?.prediction ?? 'prediction', reference: request.columns?.reference ?? 'reference' };
  const metricOptions = metricOptionsOf(request.metrics);
  const metricNames = Object.keys(metricOptions);
  const sourceName = nameOf(request.source, request.sourceName);
  const isRecords = Array.isArray(request.source);
  const chosen = isRecords ? undefined : chooseLoader(sourceName, request.loader);
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE;
  const skipInvalid = request.skipInvalid ?? false;

  // The loader and the metrics load side by side; the loader's failure is the one reported when both fail.
  const loading = chosen ? host.load<DataLoader>(DATA_LOADERS, chosen.loader) : Promise.resolve(undefined);
  const metricsLoading = Promise.all(metricNames.map((name) => host.load(METRICS, name)));
  metricsLoading.catch(() => undefined);
  const loader = await loading;
  const metrics = await metricsLoading;
  const provenance = (
    await Promise.all([...(chosen ? [host.provenance(DATA_LOADERS, chosen.loader)] : []), ...metricNames.map((name) => host.provenance(METRICS, name))])
  ).filter((record): record is PluginProvenance => record !== undefined);

  const source = request.source;
  const bytes = typeof Blob !== 'undefined' && source instanceof Blob ? source.size : undefined;
  const loaderOptions = { ...chosen?.options, ...request.loaderOptions, skipInvalid, sourceName, ...(signal ? { signal } : {}) };
  const runs = metricNames.map((name, index) => startMetric(name, metrics[index], metricOptions[name]));
  let tally: { rows: number; skipped: number; skippedExamples: EvaluationResult['skippedExamples'] };
  let workers = 0;

  if (scoreInWorkers && (request.workers ?? 0) > 0 && chosen && bytes !== undefined && runs.every((run) => run.state() !== undefined)) {
    const { signal: _signal, ...plainLoaderOptions } = loaderOptions;
    const outcome = await scoreInWorkers({
      source: source as Blob,
      sourceName,
      loader: chosen.loader,
      loaderOptions: plainLoaderOptions,
      columns,
      metrics: metricOptions,
      provenance,
      workers: request.workers ?? 1,
      skipInvalid,
      batchSize,
      ...(signal ? { signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    // Each Worker's state merges into a fresh one, in the order of the parts of the file.
    for (const run of runs) run.merge(outcome.states[run.name]);
    tally = outcome;
    workers = outcome.workers;
  } else {
    let read = 0;
    const counted = bytes !== undefined ? countingBlob(source as Blob, (n) => void (read += n)) : source;
    const records = isRecords ? inBatches(source as readonly DataRecord[], batchSize) : batchesOf(loader!(counted as EvaluationSource as Blob, loaderOptions));
    tally = await scoreRecords(records, runs, {
      columns,
      skipInvalid,
      sourceName,
      batchSize,
      ...(signal ? { signal } : {}),
      ...(request.onProgress ? { onBatch: (rows: number) => request.onProgress!({ rows, bytes: read, ...(bytes !== undefined ? { totalBytes: bytes } : {}) }) } : {}),
    });
    const summary = (records as { summary?: { skipped?: number; skippedExamples?: { row: number; line?: number; field?: string; detail?: string; message: string }[] } }).summary;
    if (summary?.skipped) {
      tally.skipped += summary.skipped;
      for (const example of summary.skippedExamples ?? []) {
        if (tally.skippedExamples.length >= 5) break;
        tally.skippedExamples.push({ row: example.row, ...(example.line !== undefined ? { line: example.line } : {}), ...(example.field ? { field: example.field } : {}), reason: example.detail ?? example.message });
      }
    }
  }

  if (tally.rows === 0) throw noRowsError(sourceName, { skipped: tally.skipped }, chosen?.loader);
  const scores: Record<string, MetricResult> = {};
  for (const run of runs) scores[run.name] = await run.finish();
  const result: EvaluationResult = {
    scores,
    rows: tally.rows,
    skipped: tally.skipped,
    skippedExamples: tally.skippedExamples,
    loader: chosen?.loader,
    columns,
    options: metricOptions,
    provenance,
    sourceName,
    ...(bytes !== undefined ? { bytes } : {}),
    workers,
    durationMs: performance.now() - started,
  };
  if (request.log) {
    if (!host.tracking) throw new TypeError('run logging needs a host with tracking');
    result.runId = await logEvaluation(host.tracking({ ...(request.log.trackingUri ? { uri: request.log.trackingUri } : {}) }), result, request.source, request.log);
  }
  return result;
}

/** The batches a loader parsed when it offers them (cheaper per record), else its records one by one regrouped; keeps its `summary` reachable. */
function batchesOf(stream: AsyncIterable<DataRecord>): AsyncIterable<DataRecord[]> & { readonly summary?: unknown } {
  const batched = (stream as { batches?: () => AsyncIterable<DataRecord[]> }).batches;
  return {
    get summary() {
      return (stream as { summary?: unknown }).summary;
    },
    async *[Symbol.asyncIterator]() {
      if (typeof batched === 'function') {
        yield* batched.call(stream);
        return;
      }
      let batch: DataRecord[] = [];
      for await (const record of stream) {
        batch.push(record);
        if (batch.length === 1024) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
  };
}

async function* inBatches(records: readonly DataRecord[], size: number): AsyncGenerator<DataRecord[]> {
  for (let start = 0; start < records.length; start += size) yield records.slice(start, start + size);
}
