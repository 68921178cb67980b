// A module Worker that runs the built model metrics as a page's Worker would: their module graphs imported
// through the host's import map with WorkerImporter (Workers have no import maps), scored entirely here.
import { WorkerImporter } from '../../src/workers/import-in-worker.ts';

interface Request {
  dist: string;
  metric: string;
  exportName: string;
  predictions: unknown[];
  references: unknown[];
  options: Record<string, unknown>;
}

self.onmessage = async ({ data }: MessageEvent<Request>) => {
  try {
    const importer = new WorkerImporter({ imports: { 'plugboard/sdk': `${data.dist}sdk.js` } });
    const module = await importer.import(`${data.dist}plugins/metrics/${data.metric}.js`);
    const metric = module[data.exportName] as { init(o: unknown): unknown; update(s: unknown, b: unknown): unknown; finalize(s: unknown): unknown };
    const state = metric.update(metric.init(data.options), { predictions: data.predictions, references: data.references });
    self.postMessage({ result: await metric.finalize(state), inWorker: typeof (globalThis as { document?: unknown }).document === 'undefined' });
  } catch (error) {
    self.postMessage({ error: String((error as Error)?.message ?? error), stack: String((error as Error)?.stack), cause: String((error as { cause?: { message?: string } })?.cause?.message) });
  }
};
