// The evaluation Worker: imports the loader and metric plugins under the host's import map (ahead of time when
// readied with a prepare message), scores its part of the source, and posts progress, then its accumulator
// states (or its error) to the page. It can score several messages in turn; the page decides when it ends.
// Told to finalize, it merges the parts' states and finishes the metrics here, posting only the results: a
// metric's finalize can be the heavy part (a language model run over every text), and the page must not block.
import { prepareMetric, scoreSource, startMetric, type WorkerPlugin } from '../evaluation/index.ts';
import type { DataLoader, MetricResult, ModelProvenance } from '../sdk/index.ts';
import { toErrorRecord, type FinalizeMessage, type PrepareMessage, type ScoreMessage, type WorkerReply } from './evaluation-protocol.ts';
import { WorkerImporter } from './import-in-worker.ts';
import { PlugboardError } from '../errors/index.ts';

/** Progress is posted at most this often (the first batch's at once), so the page's message queue stays short. */
const PROGRESS_EVERY_MS = 100;
const METRICS = 'codex_ml.metrics';

const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);

self.addEventListener('message', (event: MessageEvent<ScoreMessage | PrepareMessage | FinalizeMessage>) => {
  const message = event.data;
  if (message.type === 'prepare') {
    // A plugin that fails to import here fails again in the score message, which reports it.
    void Promise.allSettled(message.plugins.map((plugin) => importerFor(message.imports).import(plugin.url, plugin))).then(() => post({ type: 'prepared', id: message.id }));
    return;
  }
  if (message.type === 'finalize') {
    void finalize(message).then(post, (thrown: unknown) => post({ type: 'error', error: toErrorRecord(thrown) }));
    return;
  }
  void score(message).then(post, (thrown: unknown) => post({ type: 'error', error: toErrorRecord(thrown) }));
});

/** The importer of the current import map: a Worker readied with `prepare` (or used before) keeps its imported modules. */
let current: { key: string; importer: WorkerImporter } | undefined;
function importerFor(imports: Record<string, string>): WorkerImporter {
  const key = JSON.stringify(imports);
  if (current?.key !== key) current = { key, importer: new WorkerImporter({ imports }) };
  return current.importer;
}

/**
 * Imports a plugin under the host's import map, its modules checked against the pins the page sent. Bytes that
 * do not match a pin (the entry's when it is pinned, or an installed plugin's imported module's) are refused with
 * the page's own INTEGRITY_MISMATCH; any other failure is WORKER_IMPORT_FAILED naming its URL.
 */
async function load(importer: WorkerImporter, plugin: WorkerPlugin): Promise<unknown> {
  try {
    return (await importer.import(plugin.url, plugin))[plugin.export];
  } catch (thrown) {
    // A pin's refusal is the evaluation's answer, as the page's would be: scoring in the page instead would hide that
    // the source changed. An unpinned entry's digest is only what the page read, and the page can score with that.
    if (thrown instanceof PlugboardError && thrown.stage === 'integrity' && (plugin.pinned || thrown.url !== plugin.url)) throw thrown;
    // The page imported these very bytes already, so it can score without Workers (see evaluate).
    throw new PlugboardError({
      code: 'WORKER_IMPORT_FAILED',
      url: plugin.url,
      problem: `the evaluation Worker could not import the plugin: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      hint: "A Content-Security-Policy that covers the Worker must allow blob: scripts for plugins with bare imports; the page scores in this thread meanwhile.",
    });
  }
}

/** Each metric's last `prepare`, by metric object: the options it was given (as JSON) and its outcome. */
const preparations = new WeakMap<object, { options: string; done: Promise<void> }>();

/**
 * Prepares a metric as `prepareMetric` does, once per metric and options in this Worker: the Worker that scored
 * a part and then finalizes (or scores another part) reuses the prepared metric rather than running its
 * `prepare` again (a tokenizer's model read a second time). Other options prepare it again; a failed `prepare`
 * is retried at the next call.
 */
function prepareOnce(metric: unknown, options: Record<string, unknown> | undefined): Promise<void> {
  if ((typeof metric !== 'object' && typeof metric !== 'function') || metric === null) return prepareMetric(metric, options);
  const key = JSON.stringify(options ?? {});
  const last = preparations.get(metric);
  if (last?.options === key) return last.done;
  const done = prepareMetric(metric, options);
  preparations.set(metric, { options: key, done });
  done.catch(() => {
    if (preparations.get(metric)?.done === done) preparations.delete(metric);
  });
  return done;
}

async function score(message: ScoreMessage): Promise<WorkerReply> {
  const importer = importerFor(message.imports);
  const [loader, ...metrics] = await Promise.all([message.loader, ...message.metrics].map((plugin) => load(importer, plugin)));
  await Promise.all(message.metrics.map((metric, index) => prepareOnce(metrics[index], metric.options)));
  const runs = message.metrics.map((metric, index) => startMetric(metric.name, metrics[index], metric.options));
  let last = 0;
  const tally = await scoreSource(runs, {
    loader: loader as DataLoader,
    source: message.source,
    loaderOptions: message.loaderOptions,
    columns: message.columns,
    skipInvalid: message.skipInvalid,
    sourceName: message.sourceName,
    batchSize: message.batchSize,
    onProgress: ({ rows, bytes }) => {
      const now = performance.now();
      if (last !== 0 && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      post({ type: 'progress', rows, bytes });
    },
  });
  return { type: 'done', states: Object.fromEntries(runs.map((run) => [run.name, run.state()])), ...tally };
}

/**
 * Merges each metric's part states in order into a fresh run, as the page would, and finalizes it, keeping the
 * models it records (see MetricContext) to post with the scores. A metric
 * whose finalize throws something other than a PlugboardError is reported as METRIC_FAILED naming the metric,
 * its group and the stage (finalize); a PlugboardError keeps its own fields, with the metric named if it was not.
 */
async function finalize(message: FinalizeMessage): Promise<WorkerReply> {
  const importer = importerFor(message.imports);
  const metrics = await Promise.all(message.metrics.map((plugin) => load(importer, plugin)));
  const scores: Record<string, MetricResult> = {};
  const models: Record<string, ModelProvenance[]> = {};
  for (const [index, plugin] of message.metrics.entries()) {
    try {
      await prepareOnce(metrics[index], plugin.options);
      const run = startMetric(plugin.name, metrics[index], plugin.options);
      for (const state of message.states[plugin.name] ?? []) run.merge(state);
      scores[plugin.name] = await run.finish();
      const used = run.models();
      if (used.length) models[plugin.name] = used;
    } catch (thrown) {
      const record = toErrorRecord(thrown);
      if (record.code !== 'WORKER_FAILED') throw { ...record, group: record.group ?? METRICS, plugin: record.plugin ?? plugin.name, stage: record.stage ?? 'finalize' };
      throw new PlugboardError({
        code: 'METRIC_FAILED',
        group: METRICS,
        plugin: plugin.name,
        stage: 'finalize',
        problem: `the metric failed while finishing in the evaluation Worker: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
        hint: 'The metric threw something that is not a PlugboardError; its own message is quoted. Check its options (a model_id that loads) and inputs.',
      });
    }
  }
  return { type: 'finalized', scores, models };
}
