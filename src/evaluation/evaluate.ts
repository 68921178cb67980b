import type { DataLoader, MetricResult, ModelProvenance } from '../sdk/index.ts';
import { chooseLoader, nameOf } from './choose-loader.ts';
import type { EvaluationColumns, EvaluationProgress, EvaluationRequest, EvaluationResult, EvaluationSource, PluginProvenance } from './evaluation-types.ts';
import { logEvaluation, type EvaluationTracking } from './log-evaluation.ts';
import { prepareMetric, startMetric } from './metric-run.ts';
import { scoreSource } from './score-source.ts';
import { PlugboardError } from '../errors/index.ts';
// The error's own file, not the loaders' door: the host must not carry the loaders' code.
import { noRowsError } from '../plugins/data-loaders/no-rows-error.ts';

/** What an evaluation needs of the host: loading plugins, their entry points and provenance, and (to log a run) its tracking. */
export interface EvaluationHost {
  load<T = unknown>(group: string, name: string): Promise<T>;
  discover(group: string): { name: string; url: string; export: string; integrity?: string; modules?: Readonly<Record<string, string>> }[];
  provenance(group: string, name: string): Promise<PluginProvenance | undefined>;
  /** The import map plugins load under (bare specifier → URL), handed to Workers. */
  imports(): Record<string, string>;
  tracking?(options?: { uri?: string; defaultExperimentId?: string }): EvaluationTracking;
}

/** A plugin module a Worker imports: where, which export, the digest its bytes must have, and the pins of the modules it imports. */
export interface WorkerPlugin {
  url: string;
  export: string;
  /** `sha384-…` of the bytes that were checked in the host; the Worker refuses others. */
  integrity?: string;
  /**
   * Set when the plugin's entry is pinned (its manifest's integrity, or the digest kept at install): a Worker that
   * refuses its bytes fails the evaluation, as the page would. Otherwise `integrity` is only the digest of the
   * bytes the page read, and a Worker that cannot match it leaves the page to score with them.
   */
  pinned?: true;
  /** An installed plugin's pin of each module its entry imports (URL → `sha384-…`); the Worker refuses other bytes for them, as the page does. */
  modules?: Readonly<Record<string, string>>;
  /** The plugin's group, named when the Worker refuses its bytes. */
  group?: string;
  /** The plugin's name, named when the Worker refuses its bytes. */
  name?: string;
}

/** What Workers are asked to do. */
export interface WorkerPlan {
  source: Blob;
  sourceName: string;
  loader: WorkerPlugin & { name: string };
  loaderOptions: Record<string, unknown>;
  columns: EvaluationColumns;
  metrics: (WorkerPlugin & { name: string; options: Record<string, unknown> })[];
  imports: Record<string, string>;
  workers: number;
  skipInvalid: boolean;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (progress: EvaluationProgress) => void;
  /** Also merge the states and finalize the metrics in a Worker (when any row was scored), giving `scores`. */
  finalize?: boolean;
}

/**
 * What Workers give back: each metric's accumulator states, one per part of the source in order, and the tally;
 * `scores`, and the `models` each metric recorded while finishing, when the plan asked them to finalize.
 */
export interface WorkerOutcome {
  states: Record<string, unknown[]>;
  scores?: Record<string, MetricResult>;
  models?: Record<string, ModelProvenance[]>;
  rows: number;
  skipped: number;
  skippedExamples: EvaluationResult['skippedExamples'];
  workers: number;
}

/** What Workers can be readied with before an evaluation: the plugins it will name, under which import map, and how many Workers. */
export interface WorkerWarmUp {
  imports: Record<string, string>;
  plugins: WorkerPlugin[];
  workers: number;
}

/**
 * Scores a source in Workers; given by the caller that can start them (see `plugboard/worker`). `prepare`,
 * when present, starts Workers and has them import plugins ahead of a plan, so a plan that follows starts
 * reading at once; it resolves when they have (or failed to: the plan then reports the failure).
 */
export type WorkerScorer = ((plan: WorkerPlan) => Promise<WorkerOutcome>) & { prepare?: (warmUp: WorkerWarmUp) => Promise<void> };

const DATA_LOADERS = 'codex_ml.data_loaders';
const METRICS = 'codex_ml.metrics';
/** Records per metric update: few enough that a batch's records die young in the garbage collector. */
export const DEFAULT_BATCH_SIZE = 1024;

/** Normalises `metrics` (names, or names mapped to options) to names mapped to options. */
export function metricOptionsOf(metrics: EvaluationRequest['metrics']): Record<string, Record<string, unknown>> {
  if (Array.isArray(metrics)) return Object.fromEntries((metrics as readonly string[]).map((name) => [name, {}]));
  return Object.fromEntries(Object.entries(metrics as Record<string, Record<string, unknown>>).map(([name, options]) => [name, { ...options }]));
}

/** A discovered plugin as a Worker imports it, with the digest of the bytes the host checked and an installed plugin's module pins. */
function workerPluginOf(host: EvaluationHost, provenance: readonly PluginProvenance[], group: string, name: string): WorkerPlugin & { name: string } {
  const entry = host.discover(group).find((candidate) => candidate.name === name)!;
  const sha384 = provenance.find((record) => record.group === group && record.name === name)?.sha384;
  return { group, name, url: entry.url, export: entry.export, ...(sha384 ? { integrity: sha384 } : {}), ...(entry.integrity ? { pinned: true as const } : {}), ...(entry.modules ? { modules: entry.modules } : {}) };
}

/**
 * Readies what an evaluation of this source with these metrics will need, while the person still picks
 * columns and options: loads the data loader and the metrics here, and — when `workers` > 0 and the scorer
 * can — starts the Workers and has them import the same plugins. Resolves when that is done; never rejects
 * (a plugin that fails to load fails the evaluation itself, with its message). Metrics not yet chosen can be
 * added by calling it again: what is ready stays ready.
 */
export async function prepareEvaluation(host: EvaluationHost, request: Pick<EvaluationRequest, 'source' | 'sourceName' | 'loader' | 'metrics' | 'workers'>, scoreInWorkers?: WorkerScorer): Promise<void> {
  try {
    const metricNames = Object.keys(metricOptionsOf(request.metrics)).filter((name) => host.discover(METRICS).some((entry) => entry.name === name));
    const chosen = Array.isArray(request.source) ? undefined : chooseLoader(nameOf(request.source, request.sourceName), request.loader);
    const wanted: [string, string][] = [...(chosen ? [[DATA_LOADERS, chosen.loader] as [string, string]] : []), ...metricNames.map((name) => [METRICS, name] as [string, string])];
    const loaded = await Promise.allSettled(wanted.map(([group, name]) => host.load(group, name)));
    const usable = wanted.filter((_, index) => loaded[index]!.status === 'fulfilled');
    if (!scoreInWorkers?.prepare || (request.workers ?? 0) <= 0 || usable.length === 0) return;
    const provenance = (await Promise.all(usable.map(([group, name]) => host.provenance(group, name)))).filter((record): record is PluginProvenance => record !== undefined);
    await scoreInWorkers.prepare({ imports: host.imports(), plugins: usable.map(([group, name]) => workerPluginOf(host, provenance, group, name)), workers: request.workers ?? 1 });
  } catch {
    // Readying is an optimisation: whatever failed here fails again, and is reported, when the evaluation runs.
  }
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

  // Workers that will score a file start now, while the page loads the plugins (none readied: a first Run).
  const bytesKnown = typeof Blob !== 'undefined' && request.source instanceof Blob;
  if (scoreInWorkers?.prepare && (request.workers ?? 0) > 0 && chosen && bytesKnown) void scoreInWorkers.prepare({ imports: host.imports(), plugins: [], workers: request.workers ?? 1 });

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
  await Promise.all(metrics.map((metric, index) => prepareMetric(metric, metricOptions[metricNames[index]!])));
  const runs = metricNames.map((name, index) => startMetric(name, metrics[index], metricOptions[name]));
  let tally: { rows: number; skipped: number; skippedExamples: EvaluationResult['skippedExamples'] };
  let workers = 0;
  let workersUnavailable: string | undefined;
  let outcome: WorkerOutcome | undefined;

  if (scoreInWorkers && (request.workers ?? 0) > 0 && chosen && bytes !== undefined && runs.every((run) => run.state() !== undefined) && metricNames.every((name) => host.discover(METRICS).some((entry) => entry.name === name))) {
    const plugin = (group: string, name: string) => workerPluginOf(host, provenance, group, name);
    try {
      outcome = await scoreInWorkers({
        source: source as Blob,
        sourceName,
        loader: plugin(DATA_LOADERS, chosen.loader),
        loaderOptions: { ...chosen.options, ...request.loaderOptions },
        columns,
        metrics: metricNames.map((name) => ({ ...plugin(METRICS, name), options: metricOptions[name]! })),
        imports: host.imports(),
        workers: request.workers ?? 1,
        skipInvalid,
        batchSize,
        // Every metric finishes in the Worker, not only those known to be heavy: a finalize can load and run a
        // model (ppl with model_id, embedding_similarity) and would block this thread for all of it, a plugin
        // cannot be trusted to declare that, and the result is the same bits either way (the same states merged
        // in the same order), so one rule is simplest. A scorer that cannot finalize leaves it to this thread.
        finalize: true,
        ...(signal ? { signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    } catch (thrown) {
      // Workers that cannot start or import the plugins (a Worker script not served, a policy refusing blob:
      // scripts in them) leave this thread to score the same checked bytes: an analyst who pressed Run wants
      // the scores, and gets them with the reason shown (result.workersUnavailable). A caller for whom Workers
      // are the point (a page that must not block) asks for an error instead with `workersRequired`.
      if (signal?.aborted || (thrown as { code?: unknown }).code !== 'WORKER_IMPORT_FAILED') throw thrown;
      workersUnavailable = (thrown as { problem?: string }).problem ?? String(thrown);
      if (request.workersRequired) {
        throw new PlugboardError({
          code: 'WORKERS_UNAVAILABLE',
          stage: 'import',
          problem: `${request.workers} Worker${request.workers === 1 ? ' was' : 's were'} required to score ${sourceName}, and they could not start: ${workersUnavailable}`,
          hint: "Check that the Worker scripts are served beside the module that starts them and that the page's Content-Security-Policy allows them (worker-src, or script-src 'self' and blob:); or leave out workersRequired to score in this thread.",
          cause: thrown,
        });
      }
    }
  }
  if (outcome?.scores) {
    tally = outcome;
    workers = outcome.workers;
  } else if (outcome) {
    // Each Worker's state merges into a fresh one, in the order of the parts of the file.
    for (const run of runs) for (const state of outcome.states[run.name] ?? []) run.merge(state);
    tally = outcome;
    workers = outcome.workers;
  } else {
    tally = await scoreSource(runs, {
      loader,
      source,
      loaderOptions: { ...chosen?.options, ...request.loaderOptions },
      columns,
      skipInvalid,
      sourceName,
      batchSize,
      ...(signal ? { signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
  }

  if (tally.rows === 0) throw noRowsError(sourceName, { skipped: tally.skipped }, chosen?.loader);
  const scores: Record<string, MetricResult> = {};
  const models: Record<string, ModelProvenance[]> = {};
  for (const run of runs) {
    scores[run.name] = outcome?.scores ? outcome.scores[run.name]! : await run.finish();
    const used = outcome?.scores ? (outcome.models?.[run.name] ?? []) : run.models();
    if (used.length) models[run.name] = used;
  }
  const result: EvaluationResult = {
    scores,
    rows: tally.rows,
    skipped: tally.skipped,
    skippedExamples: tally.skippedExamples,
    loader: chosen?.loader,
    columns,
    options: metricOptions,
    provenance,
    models,
    sourceName,
    ...(bytes !== undefined ? { bytes } : {}),
    workers,
    ...(workersUnavailable ? { workersUnavailable } : {}),
    durationMs: performance.now() - started,
  };
  if (request.log) {
    if (!host.tracking) throw new TypeError('run logging needs a host with tracking');
    result.runId = await logEvaluation(host.tracking({ ...(request.log.trackingUri ? { uri: request.log.trackingUri } : {}) }), result, request.source, request.log);
  }
  return result;
}
