import { parseArgs } from 'node:util';
import { CACHE_OPTIONS, cacheFolderOf } from './cache-options.ts';
import { createHost, type Host } from '../host/index.ts';
import { noRowsError, readBatches, SOURCE_LINE } from '../plugins/data-loaders/index.ts';
import { isAccumulator } from '../plugins/metrics/index.ts';
import type { DataLoader, DataRecord, MetricResult } from '../sdk/index.ts';
import type { CliContext } from './cli-context.ts';
import { BadInput, badInputLine, oneLine, type RecordPlace } from './describe-failure.ts';
import { loadPlugin } from './load-plugin.ts';
import { extensionOf, resolvePath, toUrl } from './locate.ts';
import { optionsPerMetric, parseKeyValues } from './parse-option.ts';
import { UsageError } from './usage.ts';

/** The loader the data file's extension implies, with the options that go with it. */
const LOADER_BY_EXTENSION: Record<string, { loader: string; options?: Record<string, unknown> }> = {
  '.txt': { loader: 'lines' },
  '.jsonl': { loader: 'jsonl' },
  '.ndjson': { loader: 'jsonl' },
  '.csv': { loader: 'csv' },
  '.tsv': { loader: 'csv', options: { delimiter: '\t' } },
  '.parquet': { loader: 'parquet' },
};

/**
 * Records per metric update when --batch-size is not given: few enough that a batch's records die young in
 * the garbage collector (100,000 SQuAD rows: ≈ 30 ms of GC pauses and a full collection at 4096, ≈ 19 ms at 1024).
 */
const DEFAULT_BATCH_SIZE = 1024;

/** One metric being computed: fed batch by batch, finished at the end. */
interface MetricRun {
  name: string;
  update(predictions: unknown[], references: unknown[] | undefined): void;
  finish(): Promise<MetricResult>;
}

/**
 * `plugboard eval`: streams the data file through its loader in batches into each metric and prints one
 * JSON object. Returns the exit code: 0, or throws UsageError (exit 2) / BadInput or a PlugboardError (exit 1).
 */
export async function runEval(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      metric: { type: 'string', multiple: true },
      data: { type: 'string' },
      loader: { type: 'string' },
      predictions: { type: 'string', default: 'prediction' },
      references: { type: 'string', default: 'reference' },
      option: { type: 'string', multiple: true },
      'loader-option': { type: 'string', multiple: true },
      'skip-invalid': { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
      manifest: { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      ...CACHE_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });
  const metricNames = values.metric ?? [];
  if (metricNames.length === 0) throw new UsageError('eval needs at least one --metric NAME', 'eval');
  if (!values.data) throw new UsageError('eval needs --data FILE', 'eval');
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch-size must be a positive integer, received ${JSON.stringify(values['batch-size'])}`, 'eval');
  const byExtension = LOADER_BY_EXTENSION[extensionOf(values.data)];
  const loaderName = values.loader ?? byExtension?.loader;
  if (!loaderName) {
    throw new UsageError(`cannot tell the loader from the extension of ${values.data}; pass --loader lines, jsonl, csv or parquet`, 'eval');
  }
  const metricOptions = optionsPerMetric(parseKeyValues(values.option, '--option'), metricNames);
  const loaderOptions = {
    ...(values.loader === undefined ? byExtension?.options : {}),
    ...Object.fromEntries(parseKeyValues(values['loader-option'], '--loader-option')),
    skipInvalid: values['skip-invalid'],
    sourceName: values.data,
  };

  const host = await createEvalHost(values.manifest ?? [], values['allow-origin'], { ...context, hostOptions: { ...context.hostOptions, ...cacheFolderOf(values, context.cwd, 'eval') } });
  // The loader and the metrics load side by side (their module reads overlap); a failure of the loader
  // is still the one reported when both fail.
  const loading = loadPlugin<DataLoader>(host, 'codex_ml.data_loaders', loaderName, 'eval');
  const metricsLoading = Promise.all(metricNames.map(async (name) => startMetric(name, await loadPlugin(host, 'codex_ml.metrics', name, 'eval'), metricOptions.get(name)!)));
  metricsLoading.catch(() => undefined);
  const loader = await loading;
  const runs = await metricsLoading;

  const fields = { predictions: values.predictions, references: values.references };
  const stream = loader(resolvePath(values.data, context.cwd), loaderOptions);
  let rows = 0;
  let hasReferences: boolean | undefined;
  for await (const batch of readBatches(stream, batchSize)) {
    const predictions: unknown[] = new Array(batch.length);
    hasReferences ??= batch.length > 0 && Object.hasOwn(batch[0]!, fields.references);
    const references: unknown[] | undefined = hasReferences ? new Array(batch.length) : undefined;
    for (let index = 0; index < batch.length; index++) {
      const record = batch[index]!;
      predictions[index] = readField(record, fields.predictions, '--predictions', rows + index + 1, values.data);
      if (references) references[index] = readField(record, fields.references, '--references', rows + index + 1, values.data);
      else if (Object.hasOwn(record, fields.references)) {
        throw new BadInput(
          badInputLine(placeOf(record, rows + index + 1, values.data), fields.references, `this record has the field, but the first record has none, so the rows would not line up`, 'Give every record its reference, or none of them'),
        );
      }
    }
    for (const run of runs) {
      try {
        run.update(predictions, references);
      } catch (thrown) {
        throw locateMetricError(thrown, run.name, batch, rows, values.data, fields, hasReferences);
      }
    }
    rows += batch.length;
  }
  reportSkipped(stream, values.data, context);
  if (rows === 0) throw noRowsError(values.data, (stream as { summary?: { skipped: number } }).summary, loaderName);

  const results: Record<string, MetricResult> = {};
  for (const run of runs) results[run.name] = await run.finish();
  const output = runs.length === 1 ? { metric: runs[0]!.name, rows, result: results[runs[0]!.name] } : { metrics: metricNames, rows, results };
  context.stdout(`${JSON.stringify(output, finiteOrText)}\n`);
  return 0;
}

async function createEvalHost(manifests: string[], allowOrigins: string[] | undefined, context: CliContext): Promise<Host> {
  const urls = manifests.map((manifest) => toUrl(manifest, context.cwd));
  return createHost({
    ...context.hostOptions,
    manifests: urls,
    ...(allowOrigins ? { allowedOrigins: ['self', ...urls, ...allowOrigins] } : {}),
    onWarning: (warning) => context.stderr(`plugboard: warning: ${oneLine(warning.message)}\n`),
  });
}

function startMetric(name: string, metric: unknown, options: Record<string, unknown>): MetricRun {
  const passed = Object.keys(options).length > 0 ? options : undefined;
  if (isAccumulator(metric)) {
    let state = metric.init(passed);
    return {
      name,
      update(predictions, references) {
        state = metric.update(state, { predictions, references: references ?? [] }, passed);
      },
      finish: async () => metric.finalize(state, passed),
    };
  }
  // A plain function metric sees every row at once, so its rows are kept until the end.
  const allPredictions: unknown[] = [];
  const allReferences: unknown[] = [];
  return {
    name,
    update(predictions, references) {
      for (const value of predictions) allPredictions.push(value);
      if (references) for (const value of references) allReferences.push(value);
    },
    finish: async () => (metric as (p: unknown[], r: unknown[], o?: unknown) => MetricResult | Promise<MetricResult>)(allPredictions, allReferences, passed),
  };
}

function placeOf(record: DataRecord, row: number, source: string): RecordPlace {
  const line = (record as Record<PropertyKey, unknown>)[SOURCE_LINE];
  return typeof line === 'number' ? { source, line, row } : { source, row };
}

/** The record's field; throws BadInput naming the file, line and row when the record has none. */
function readField(record: DataRecord, field: string, flag: string, row: number, source: string): unknown {
  if (Object.hasOwn(record, field)) return record[field];
  const present = Object.keys(record);
  throw new BadInput(
    badInputLine(placeOf(record, row, source), field, `the record has no field ${JSON.stringify(field)} (its fields: ${present.length ? present.join(', ') : 'none'})`, `Name the field with ${flag} FIELD`),
  );
}

/** Points a metric's complaint about `predictions[i]` / `references[i]` at the file's line and the field's own name. */
function locateMetricError(
  thrown: unknown,
  metric: string,
  batch: DataRecord[],
  rowsBefore: number,
  source: string,
  fields: { predictions: string; references: string },
  hasReferences: boolean | undefined,
): unknown {
  const error = thrown as { field?: unknown; problem?: unknown; hint?: unknown } | null;
  if (!error || typeof error !== 'object' || typeof error.field !== 'string' || typeof error.problem !== 'string') return thrown;
  const hint = typeof error.hint === 'string' ? error.hint : undefined;
  const indexed = /^(predictions|references)\[(\d+)\](.*)$/.exec(error.field);
  if (indexed && batch[Number(indexed[2])]) {
    const index = Number(indexed[2]);
    const field = `${indexed[1] === 'predictions' ? fields.predictions : fields.references}${indexed[3]}`;
    const problem = `${metric}: ${error.problem.replace(/^row \d+(?:: |, )/, '')}`;
    return new BadInput(badInputLine(placeOf(batch[index]!, rowsBefore + index + 1, source), field, problem, hint));
  }
  if (!hasReferences && error.field.startsWith('references') && batch[0]) {
    const present = Object.keys(batch[0]);
    return new BadInput(
      badInputLine(
        placeOf(batch[0], rowsBefore + 1, source),
        fields.references,
        `${metric} needs references, and the records have no field ${JSON.stringify(fields.references)} (their fields: ${present.join(', ') || 'none'})`,
        'Name the reference field with --references FIELD',
      ),
    );
  }
  return thrown;
}

function reportSkipped(stream: AsyncIterable<DataRecord>, source: string, context: CliContext): void {
  const summary = (stream as { summary?: { skipped?: number; skippedExamples?: { message?: string; detail?: string; line?: number; row?: number }[] } }).summary;
  if (!summary?.skipped) return;
  const first = summary.skippedExamples?.[0];
  const example = first ? `; the first, ${first.line !== undefined ? `line ${first.line}` : `row ${first.row}`}: ${first.detail ?? first.message}` : '';
  context.stderr(`${oneLine(`plugboard: skipped ${summary.skipped} malformed row${summary.skipped === 1 ? '' : 's'} of ${source}${example}`)}\n`);
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity" and "-Infinity", as MLflow's REST API does. */
function finiteOrText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
