import type { EvaluationColumns, SkippedRow, WorkerPlugin } from '../evaluation/index.ts';
import type { MetricResult, ModelProvenance } from '../sdk/index.ts';
import { PlugboardError, type LoadStage } from '../errors/index.ts';
import { RecordError } from '../evaluation/index.ts';

/** The one message that starts an evaluation Worker on a part of the source. */
export interface ScoreMessage {
  type: 'score';
  imports: Record<string, string>;
  loader: WorkerPlugin & { name: string };
  metrics: (WorkerPlugin & { name: string; options: Record<string, unknown> })[];
  source: Blob;
  sourceName: string;
  loaderOptions: Record<string, unknown>;
  columns: EvaluationColumns;
  skipInvalid: boolean;
  batchSize: number;
}

/** Readies an evaluation Worker before a ScoreMessage: it imports these plugins, then answers `prepared` with the same id. */
export interface PrepareMessage {
  type: 'prepare';
  id: number;
  imports: Record<string, string>;
  plugins: WorkerPlugin[];
}

/**
 * Has an evaluation Worker that scored a part (and so imported the metrics) finish the metrics: each one's
 * part states are merged in order into a fresh state, as the page would merge them, and finalized there.
 */
export interface FinalizeMessage {
  type: 'finalize';
  imports: Record<string, string>;
  metrics: (WorkerPlugin & { name: string; options: Record<string, unknown> })[];
  /** Each metric's accumulator states, one per part of the source, in order. */
  states: Record<string, unknown[]>;
}

/**
 * What an evaluation Worker posts: progress, then either its states and tally or its error; `prepared` answers a
 * PrepareMessage, `finalized` (or an error) a FinalizeMessage — with the models each metric recorded, by metric.
 */
export type WorkerReply =
  | { type: 'prepared'; id: number }
  | { type: 'finalized'; scores: Record<string, MetricResult>; models: Record<string, ModelProvenance[]> }
  | { type: 'progress'; rows: number; bytes: number }
  | { type: 'done'; states: Record<string, unknown>; rows: number; skipped: number; skippedExamples: SkippedRow[] }
  | { type: 'error'; error: ErrorRecord };

/** An error as data, so it crosses to the page with every field (a class does not survive structured clone). */
export interface ErrorRecord {
  code: string;
  problem: string;
  hint?: string;
  group?: string;
  plugin?: string;
  url?: string;
  field?: string;
  stage?: LoadStage;
  source?: string;
  line?: number;
  row?: number;
  detail?: string;
}

/** Turns anything thrown into an ErrorRecord; a non-Plugboard error becomes WORKER_FAILED with its message. */
export function toErrorRecord(thrown: unknown): ErrorRecord {
  if (thrown instanceof PlugboardError || (thrown && typeof thrown === 'object' && typeof (thrown as { code?: unknown }).code === 'string' && typeof (thrown as { problem?: unknown }).problem === 'string')) {
    const error = thrown as PlugboardError & Partial<RecordError>;
    const record: ErrorRecord = { code: error.code, problem: error.problem };
    for (const key of ['hint', 'group', 'plugin', 'url', 'field', 'stage', 'source', 'line', 'row', 'detail'] as const) {
      if (error[key] !== undefined) (record as unknown as Record<string, unknown>)[key] = error[key];
    }
    return record;
  }
  return { code: 'WORKER_FAILED', problem: `the evaluation Worker failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, hint: 'The plugin threw something that is not a PlugboardError; its own message is quoted.' };
}

/** Rebuilds the error a Worker reported: a RecordError when it names a record's place, else a PlugboardError. */
export function fromErrorRecord(record: ErrorRecord): PlugboardError {
  if (record.source !== undefined && record.row !== undefined && record.detail !== undefined) {
    return new RecordError({
      code: record.code,
      problem: record.detail,
      hint: record.hint ?? '',
      field: record.field ?? '',
      source: record.source,
      row: record.row,
      ...(record.line !== undefined ? { line: record.line } : {}),
      ...(record.group !== undefined ? { group: record.group } : {}),
      ...(record.plugin !== undefined ? { plugin: record.plugin } : {}),
    });
  }
  const { source: _source, line: _line, row: _row, detail: _detail, ...fields } = record;
  return new PlugboardError(fields);
}
