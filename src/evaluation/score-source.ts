import type { DataLoader, DataRecord } from '../sdk/index.ts';
import { countingBlob } from './counting-blob.ts';
import type { EvaluationColumns, EvaluationProgress, EvaluationSource } from './evaluation-types.ts';
import type { MetricRun } from './metric-run.ts';
import { scoreRecords, type ScoreTally } from './score-records.ts';

/** What one pass over a source needs. */
export interface ScoreSourceOptions {
  /** The data loader plugin; undefined when the source is records already. */
  loader: DataLoader | undefined;
  source: EvaluationSource;
  loaderOptions: Record<string, unknown>;
  columns: EvaluationColumns;
  skipInvalid: boolean;
  sourceName: string;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (progress: EvaluationProgress) => void;
}

/**
 * Streams a source through its loader into the metric runs (see scoreRecords) and adds the rows the loader
 * skipped as malformed to the tally. Progress counts rows, and bytes when the source is a Blob; for a Blob it is
 * first reported (0 rows) as soon as its first bytes are read, then after every batch.
 */
export async function scoreSource(runs: readonly MetricRun[], options: ScoreSourceOptions): Promise<ScoreTally> {
  const { source, signal } = options;
  const blob = typeof Blob !== 'undefined' && source instanceof Blob ? source : undefined;
  let read = 0;
  let scored = 0;
  const onProgress = options.onProgress;
  const counted = blob
    ? countingBlob(blob, (count) => {
        read += count;
        // The first bytes read are reported at once, before the first batch is parsed and scored (a metric's
        // first batch runs cold), so a person sees the evaluation start as soon as the file is being read.
        if (read === count && scored === 0) onProgress?.({ rows: 0, bytes: read, totalBytes: blob.size });
      })
    : source;
  const records = Array.isArray(source)
    ? inBatches(source as readonly DataRecord[], options.batchSize)
    : batchesOf(options.loader!(counted as Blob, { ...options.loaderOptions, skipInvalid: options.skipInvalid, sourceName: options.sourceName, ...(signal ? { signal } : {}) }));
  const tally = await scoreRecords(records, runs, {
    columns: options.columns,
    skipInvalid: options.skipInvalid,
    sourceName: options.sourceName,
    batchSize: options.batchSize,
    ...(signal ? { signal } : {}),
    ...(onProgress
      ? {
          onBatch: (rows: number) => {
            scored = rows;
            onProgress({ rows, bytes: read, ...(blob ? { totalBytes: blob.size } : {}) });
          },
        }
      : {}),
  });
  const summary = (records as { summary?: { skipped?: number; skippedExamples?: { row: number; line?: number; field?: string; detail?: string; message: string }[] } }).summary;
  if (summary?.skipped) {
    tally.skipped += summary.skipped;
    for (const example of summary.skippedExamples ?? []) {
      if (tally.skippedExamples.length >= 5) break;
      tally.skippedExamples.push({ row: example.row, ...(example.line !== undefined ? { line: example.line } : {}), ...(example.field ? { field: example.field } : {}), reason: example.detail ?? example.message });
    }
  }
  return tally;
}

/** The batches a loader parsed when it offers them (cheaper per record), else its records regrouped; keeps its `summary` reachable. */
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
