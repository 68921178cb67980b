import type { PlugboardError } from '../errors/index.ts';
import type { DataRecord } from '../sdk/index.ts';
import type { EvaluationColumns, SkippedRow } from './evaluation-types.ts';
import type { MetricRun } from './metric-run.ts';
import { RecordError } from './record-error.ts';

/** The symbol text loaders store a record's 1-based line under (a registered symbol, shared by every copy of the loaders). */
const SOURCE_LINE = Symbol.for('plugboard.sourceLine');

/** How records are scored. */
export interface ScoreOptions {
  columns: EvaluationColumns;
  /** Skip (and count) records whose prediction or reference is missing or null, instead of failing. */
  skipInvalid: boolean;
  /** The source as errors name it. */
  sourceName: string;
  /** Records per metric update. */
  batchSize: number;
  signal?: AbortSignal;
  /** Called after each batch with the rows scored so far. */
  onBatch?: (rows: number) => void;
}

/** What scoring saw: rows fed to the metrics, rows skipped here, and the first few skipped. */
export interface ScoreTally {
  rows: number;
  skipped: number;
  skippedExamples: SkippedRow[];
}

/**
 * Feeds every record to every metric run in batches of `batchSize`: each record's prediction and reference
 * fields are read by name (records without a reference field feed metrics that need none). A record without
 * a field, or with a value a metric refuses, throws a RecordError naming the source, line, row and field —
 * or, with `skipInvalid`, a record whose value is missing or null is skipped and counted.
 */
export async function scoreRecords(records: AsyncIterable<DataRecord[]>, runs: readonly MetricRun[], options: ScoreOptions): Promise<ScoreTally> {
  const { columns, sourceName } = options;
  const tally: ScoreTally = { rows: 0, skipped: 0, skippedExamples: [] };
  let seen = 0;
  let hasReferences: boolean | undefined;
  let predictions: unknown[] = [];
  let references: unknown[] = [];
  let kept: DataRecord[] = [];
  let keptRows: number[] = [];

  const flush = () => {
    if (kept.length === 0) return;
    for (const run of runs) {
      try {
        run.update(predictions, hasReferences ? references : undefined);
      } catch (thrown) {
        throw locateMetricError(thrown, run, { records: kept, rows: keptRows, predictions, references: hasReferences ? references : undefined }, sourceName, columns);
      }
    }
    tally.rows += kept.length;
    predictions = [];
    references = [];
    kept = [];
    keptRows = [];
    options.onBatch?.(tally.rows);
  };

  for await (const batch of records) {
    options.signal?.throwIfAborted();
    for (const record of batch) {
      const row = ++seen;
      hasReferences ??= Object.hasOwn(record, columns.reference);
      const prediction = record[columns.prediction];
      const reference = hasReferences ? record[columns.reference] : undefined;
      const missing =
        !Object.hasOwn(record, columns.prediction) ? { field: columns.prediction, what: 'has no field' } :
        hasReferences && !Object.hasOwn(record, columns.reference) ? { field: columns.reference, what: 'has no field' } :
        options.skipInvalid && (prediction === null || prediction === undefined) ? { field: columns.prediction, what: 'holds null in' } :
        options.skipInvalid && hasReferences && (reference === null || reference === undefined) ? { field: columns.reference, what: 'holds null in' } :
        undefined;
      if (missing) {
        const line = lineOf(record);
        if (options.skipInvalid) {
          tally.skipped++;
          if (tally.skippedExamples.length < 5) tally.skippedExamples.push({ row, ...(line === undefined ? {} : { line }), field: missing.field, reason: `the record ${missing.what} field ${JSON.stringify(missing.field)}` });
          continue;
        }
        // The rows before it go to the metrics first, so a value a metric refuses earlier is the one reported.
        flush();
        throw missingField(record, row, missing.field, sourceName, missing.field === columns.prediction ? 'prediction' : 'reference');
      }
      if (!hasReferences && Object.hasOwn(record, columns.reference)) {
        throw new RecordError({
          code: 'RECORD_REFERENCE_UNEXPECTED',
          source: sourceName,
          ...placeOf(record, row),
          field: columns.reference,
          problem: 'this record has the field, but the first record has none, so the rows would not line up',
          hint: 'Give every record its reference, or none of them',
        });
      }
      predictions.push(prediction);
      if (hasReferences) references.push(reference);
      kept.push(record);
      keptRows.push(row);
      if (kept.length === options.batchSize) flush();
    }
  }
  flush();
  return tally;
}

/**
 * Whether a failure has a PlugboardError's fields. Read by shape, not class: a plugin's SDK copy may be
 * another instance of the class than the host's (a consumer's bundle, a Worker).
 */
function isPlugboardShaped(thrown: unknown): thrown is PlugboardError {
  const shape = thrown as { code?: unknown; problem?: unknown } | null;
  return !!shape && typeof shape === 'object' && typeof shape.code === 'string' && typeof shape.problem === 'string';
}

function lineOf(record: DataRecord): number | undefined {
  const line = (record as Record<PropertyKey, unknown>)[SOURCE_LINE];
  return typeof line === 'number' ? line : undefined;
}

function placeOf(record: DataRecord, row: number): { row: number; line?: number } {
  const line = lineOf(record);
  return line === undefined ? { row } : { row, line };
}

function missingField(record: DataRecord, row: number, field: string, source: string, side: 'prediction' | 'reference'): RecordError {
  const present = Object.keys(record);
  const has = Object.hasOwn(record, field);
  return new RecordError({
    code: 'RECORD_FIELD_MISSING',
    source,
    ...placeOf(record, row),
    field,
    problem: has ? `the record has no value in field ${JSON.stringify(field)}` : `the record has no field ${JSON.stringify(field)} (its fields: ${present.length ? present.join(', ') : 'none'})`,
    hint: `Choose the field that holds the ${side} (columns.${side}), or pass skipInvalid to skip such rows`,
  });
}

/**
 * Points a metric's complaint at the record it is about: the batch is replayed row by row on a fresh state
 * until the metric refuses one, and that record's line, row and column name the place. When no single
 * row fails on its own (or the error is not a PlugboardError), the metric's error passes through unchanged.
 */
function locateMetricError(
  thrown: unknown,
  run: MetricRun,
  batch: { records: DataRecord[]; rows: number[]; predictions: unknown[]; references: unknown[] | undefined },
  source: string,
  columns: EvaluationColumns,
): unknown {
  if (!isPlugboardShaped(thrown)) return thrown;
  for (let index = 0; index < batch.records.length; index++) {
    try {
      run.probe(batch.predictions[index], batch.references?.[index], batch.references !== undefined);
      continue;
    } catch (refused) {
      if (!isPlugboardShaped(refused)) return thrown;
      const field = refused.field ?? '';
      if (batch.references === undefined && field.startsWith('references')) {
        const present = Object.keys(batch.records[index]!);
        return new RecordError({
          code: 'RECORD_FIELD_MISSING',
          group: refused.group ?? 'codex_ml.metrics',
          plugin: refused.plugin ?? run.name,
          source,
          ...placeOf(batch.records[index]!, batch.rows[index]!),
          field: columns.reference,
          problem: `${run.name} needs references, and the records have no field ${JSON.stringify(columns.reference)} (their fields: ${present.join(', ') || 'none'})`,
          hint: 'Choose the field that holds the reference (columns.reference)',
          cause: thrown,
        });
      }
      const side = field.startsWith('references') ? columns.reference : columns.prediction;
      // The metric names the row of its own one-row batch ("row 0: "); the record's place replaces it.
      const problem = refused.problem.startsWith('row 0: ') ? refused.problem.slice('row 0: '.length) : refused.problem;
      const within = field.indexOf(']');
      return new RecordError({
        code: refused.code,
        group: refused.group ?? 'codex_ml.metrics',
        plugin: refused.plugin ?? run.name,
        source,
        ...placeOf(batch.records[index]!, batch.rows[index]!),
        field: `${side}${within === -1 ? '' : field.slice(within + 1)}`,
        problem: `${run.name}: ${problem}`,
        hint: refused.hint ?? 'Fix the value, or skip such rows.',
        cause: thrown,
      });
    }
  }
  return thrown;
}
