// The evaluation Worker: imports the loader and metric plugins under the host's import map (ahead of time when
// readied with a prepare message), scores its part of the source, and posts progress, then its accumulator
// states (or its error) to the page. It can score several messages in turn; the page decides when it ends.
import { prepareMetric, scoreSource, startMetric } from '../evaluation/index.ts';
import type { DataLoader } from '../sdk/index.ts';
import { toErrorRecord, type PrepareMessage, type ScoreMessage, type WorkerReply } from './evaluation-protocol.ts';
import { WorkerImporter } from './import-in-worker.ts';
import { PlugboardError } from '../errors/index.ts';

/** Progress is posted at most this often (the first batch's at once), so the page's message queue stays short. */
const PROGRESS_EVERY_MS = 100;

const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);

self.addEventListener('message', (event: MessageEvent<ScoreMessage | PrepareMessage>) => {
  const message = event.data;
  if (message.type === 'prepare') {
    // A plugin that fails to import here fails again in the score message, which reports it.
    void Promise.allSettled(message.plugins.map((plugin) => importerFor(message.imports).import(plugin.url, plugin.integrity))).then(() => post({ type: 'prepared', id: message.id }));
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

async function score(message: ScoreMessage): Promise<WorkerReply> {
  const importer = importerFor(message.imports);
  const load = async (plugin: { url: string; export: string; integrity?: string }) => {
    try {
      return (await importer.import(plugin.url, plugin.integrity))[plugin.export];
    } catch (thrown) {
      // The page imported these very bytes already, so it can score without Workers (see evaluate).
      throw new PlugboardError({
        code: 'WORKER_IMPORT_FAILED',
        url: plugin.url,
        problem: `the evaluation Worker could not import the plugin: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
        hint: "A Content-Security-Policy that covers the Worker must allow blob: scripts for plugins with bare imports; the page scores in this thread meanwhile.",
      });
    }
  };
  const [loader, ...metrics] = await Promise.all([load(message.loader), ...message.metrics.map(load)]);
  await Promise.all(message.metrics.map((metric, index) => prepareMetric(metrics[index], metric.options)));
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
