import { openAsBlob } from 'node:fs';
import { parseArgs } from 'node:util';
import { CACHE_OPTIONS, cacheFolderOf } from './cache-options.ts';
import { createHost, type Host } from '../host/index.ts';
import { installBundleFile } from './freeze-command.ts';
import { chooseLoader, DEFAULT_BATCH_SIZE, type EvaluationResult } from '../evaluation/index.ts';
import type { CliContext } from './cli-context.ts';
import { oneLine } from './describe-failure.ts';
import { isUrl, resolvePath, toUrl } from './locate.ts';
import { optionsPerMetric, parseKeyValues } from './parse-option.ts';
import { UsageError } from './usage.ts';

/**
 * `plugboard eval`: evaluates the data file with the host's one evaluation call and prints one JSON
 * object — with `models`, the model files each metric ran and their digests, when any metric ran a model.
 * Returns the exit code: 0, or throws UsageError (exit 2) / a PlugboardError such as a RecordError (exit 1).
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
      'tracking-uri': { type: 'string' },
      'experiment-id': { type: 'string' },
      'run-name': { type: 'string' },
      manifest: { type: 'string', multiple: true },
      bundle: { type: 'string' },
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
  let loaderName: string;
  try {
    loaderName = chooseLoader(values.data, values.loader).loader;
  } catch {
    throw new UsageError(`cannot tell the loader from the extension of ${values.data}; pass --loader lines, jsonl, csv or parquet`, 'eval');
  }
  const metricOptions = optionsPerMetric(parseKeyValues(values.option, '--option'), metricNames);
  const host = await createEvalHost(values.manifest ?? [], values['allow-origin'], { ...context, hostOptions: { ...context.hostOptions, ...cacheFolderOf(values, context.cwd, 'eval') } });
  if (values.bundle !== undefined) await installBundleFile(host, values.bundle, context.cwd);
  for (const [group, name] of [['codex_ml.data_loaders', loaderName], ...metricNames.map((metric) => ['codex_ml.metrics', metric])] as const) {
    if (!host.discover(group).some((entry) => entry.name === name) && !host.registry(group).has(name)) {
      const known = host.discover(group).map((entry) => entry.name);
      throw new UsageError(`no ${group} entry point is named ${JSON.stringify(name)}; known: ${known.join(', ') || 'none'}`, 'eval');
    }
  }
  // As MLflow does, the flag wins over MLFLOW_TRACKING_URI; an empty value means no logging.
  const trackingUri = values['tracking-uri'] ?? context.env?.['MLFLOW_TRACKING_URI'] ?? '';
  const experimentId = values['experiment-id'] ?? context.env?.['MLFLOW_EXPERIMENT_ID'];
  const dataPath = resolvePath(values.data, context.cwd);
  const result = await host.evaluate({
    // A logged run keeps the file's digest and bytes, so a local file is read as a Blob then.
    source: trackingUri && !isUrl(dataPath) ? await openAsBlob(dataPath) : dataPath,
    sourceName: values.data,
    ...(values.loader !== undefined ? { loader: values.loader } : {}),
    loaderOptions: Object.fromEntries(parseKeyValues(values['loader-option'], '--loader-option')),
    columns: { prediction: values.predictions, reference: values.references },
    metrics: Object.fromEntries(metricOptions),
    skipInvalid: values['skip-invalid'],
    batchSize,
    ...(trackingUri
      ? { log: { trackingUri, ...(experimentId ? { experimentId } : {}), ...(values['run-name'] ? { runName: values['run-name'] } : {}) } }
      : {}),
  });
  reportSkipped(result, context);
  if (result.runId) context.stderr(`plugboard: logged run ${result.runId} to ${trackingUri}\n`);
  const output = metricNames.length === 1 ? { metric: metricNames[0], rows: result.rows, result: result.scores[metricNames[0]!] } : { metrics: metricNames, rows: result.rows, results: result.scores };
  const models = Object.keys(result.models).length ? { models: result.models } : {};
  context.stdout(`${JSON.stringify({ ...skipped(output, result), ...models, ...(result.runId ? { runId: result.runId } : {}) }, finiteOrText)}\n`);
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

/** With --skip-invalid, the output says how many rows were skipped. */
function skipped(output: Record<string, unknown>, result: EvaluationResult): Record<string, unknown> {
  return result.skipped > 0 ? { ...output, skipped: result.skipped } : output;
}

/** Tells stderr how many rows were skipped and why the first was. */
function reportSkipped(result: EvaluationResult, context: CliContext): void {
  if (!result.skipped) return;
  const first = result.skippedExamples[0];
  const example = first ? `; the first, ${first.line !== undefined ? `line ${first.line}` : `row ${first.row}`}: ${first.reason}` : '';
  context.stderr(`${oneLine(`plugboard: skipped ${result.skipped} row${result.skipped === 1 ? '' : 's'} of ${result.sourceName}${example}`)}\n`);
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity" and "-Infinity", as MLflow's REST API does. */
function finiteOrText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
