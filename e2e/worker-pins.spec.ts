// An installed plugin is pinned module by module in the scoring Worker as in the page: when a module the plugin's
// entry imports changes on the CDN after install, host.evaluate with Workers refuses it with the page's own
// INTEGRITY_MISMATCH naming that module, and no score comes back (it is not scored in the page instead either).
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { CDN } from '../playwright.config.ts';
import { publishWeightedMatch, putOnCdn as put, weightModule } from './mutable-cdn.ts';

const sha384 = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;


interface Outcome {
  score?: unknown;
  workers?: number;
  workersUnavailable?: string;
  error?: Record<string, unknown>;
}

test('a module an installed metric imports that changed on the CDN is refused in the scoring Worker, naming it, and no score is produced', async ({ page }) => {
  test.setTimeout(90_000);
  const { base, manifestUrl, weightUrl } = await publishWeightedMatch('worker-pins', 1);
  const before = weightModule(1);
  const after = weightModule(2);

  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  await page.evaluate(
    async ({ manifestUrl, db }) => {
      const { createHost, idbInstalledPlugins } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
      const open = () => createHost({ installedPlugins: idbInstalledPlugins(db), scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
      const host = await open();
      const installed = await host.plugins.install(manifestUrl, { allowOrigin: true });
      const evaluate = async (): Promise<Outcome> => {
        const source = new File(['prediction,reference\na,a\nb,c\n'], 'pairs.csv');
        try {
          const result = await host.evaluate({ source, metrics: ['weighted_match'], workers: 1 });
          return { score: result.scores.weighted_match, workers: result.workers, ...(result.workersUnavailable ? { workersUnavailable: result.workersUnavailable } : {}) };
        } catch (thrown) {
          const { name, code, stage, url, group, plugin, problem, hint, message } = thrown as Record<string, unknown>;
          return { error: { name, code, stage, url, group, plugin, problem, hint, message } };
        }
      };
      /** What a fresh host in this page says when it loads the plugin now. */
      const pageRefusal = async () => {
        try {
          await (await open()).load('codex_ml.metrics', 'weighted_match');
          return undefined;
        } catch (thrown) {
          const { name, code, stage, url, group, plugin, problem, hint, message } = thrown as Record<string, unknown>;
          return { name, code, stage, url, group, plugin, problem, hint, message };
        }
      };
      Object.assign(globalThis, { pins: installed[0].modules, evaluate, pageRefusal });
    },
    { manifestUrl, db: `e2e-worker-pins-${Date.now()}` },
  );
  expect(await page.evaluate(() => (globalThis as unknown as { pins: unknown }).pins)).toEqual({ [weightUrl]: sha384(before) });
  const evaluate = () => page.evaluate(() => (globalThis as unknown as { evaluate: () => Promise<Outcome> }).evaluate());

  // Unchanged: the Worker checks every pinned module and scores.
  expect(await evaluate()).toEqual({ score: { score: 0.5 }, workers: 1 });

  // The imported module changes on the CDN. The page already runs the checked bytes; the Worker must not run the new ones.
  await put(`${base}/weight.js`, after);
  const outcome = await evaluate();
  expect(outcome.score).toBeUndefined();
  expect(outcome.error).toMatchObject({ name: 'PlugboardError', code: 'INTEGRITY_MISMATCH', stage: 'integrity', url: weightUrl, group: 'codex_ml.metrics', plugin: 'weighted_match' });
  expect(outcome.error!['problem']).toBe(`a module the plugin imports is not the one pinned at install: the module's sha384 digest is ${sha384(after)}, the manifest expects ${sha384(before)}`);
  expect(outcome.error!['message']).toContain(weightUrl);
  // The refusal is the page's own, word for word, as a fresh load in the page gives it.
  expect(await page.evaluate(() => (globalThis as unknown as { pageRefusal: () => Promise<unknown> }).pageRefusal())).toEqual(outcome.error);
});

test('a plugin loaded without install, whose module changed on the CDN after the page read it, is still scored in the page with the reason shown', async ({ page }) => {
  test.setTimeout(90_000);
  const base = `/mutable/worker-pins-unpinned-${Date.now()}`;
  await put(`${base}/manifest.json`, JSON.stringify({ manifestVersion: 1, name: 'worker-pins-unpinned', groups: { 'codex_ml.metrics': { match_rate: './match-rate.js#matchRate' } } }));
  const metric = (weight: number) => `export const matchRate = {
  init: () => ({ hits: 0, rows: 0 }),
  update: (state, batch) => ({ hits: state.hits + batch.predictions.filter((p, i) => p === batch.references[i]).length, rows: state.rows + batch.predictions.length }),
  merge: (a, b) => ({ hits: a.hits + b.hits, rows: a.rows + b.rows }),
  finalize: (state) => ({ score: state.rows ? (${weight} * state.hits) / state.rows : 0 }),
};
`;
  await put(`${base}/match-rate.js`, metric(1));
  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  await page.evaluate(
    async ({ manifestUrl }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
      const host = await createHost({ manifests: [manifestUrl], scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
      await host.load('codex_ml.metrics', 'match_rate');
      Object.assign(globalThis, { unpinnedHost: host });
    },
    { manifestUrl: `${CDN}${base}/manifest.json` },
  );
  // Not pinned: the Worker holds to the digest of the bytes the page read, and when it cannot, the page scores with them.
  await put(`${base}/match-rate.js`, metric(2));
  const result = await page.evaluate(async () => {
    const host = (globalThis as unknown as { unpinnedHost: { evaluate(request: unknown): Promise<{ scores: Record<string, unknown>; workers: number; workersUnavailable?: string }> } }).unpinnedHost;
    const { scores, workers, workersUnavailable } = await host.evaluate({ source: new File(['prediction,reference\na,a\nb,c\n'], 'pairs.csv'), metrics: ['match_rate'], workers: 1 });
    return { score: scores['match_rate'], workers, workersUnavailable };
  });
  expect({ score: result.score, workers: result.workers }).toEqual({ score: { score: 0.5 }, workers: 0 });
  expect(result.workersUnavailable).toContain(`the module's sha384 digest is ${sha384(metric(2))}`);
});

test('a module an installed trainer imports that changed on the CDN is refused in the training Worker, naming it, and nothing is trained', async ({ page }) => {
  test.setTimeout(120_000);
  const base = `/mutable/worker-pins-trainer-${Date.now()}`;
  // Installed under the built-in trainer's name, so the Train view picks it (installed plugins come first).
  await put(`${base}/manifest.json`, JSON.stringify({ manifestVersion: 1, name: 'worker-pins-trainer', groups: { 'codex_ml.trainers': { functional: './trainer.js#functional' } } }));
  await put(
    `${base}/trainer.js`,
    `import { EPOCHS } from './epochs.js';
export const functional = Object.assign(async () => ({ runId: null, epochs: EPOCHS, globalStep: EPOCHS, evaluation: null, modelVersion: null, stoppedEarly: false, classifier: { labels: ['first', 'second'] }, timings: { embeddingMs: 0, trainingMs: 0 } }), { api: 'v1' });
`,
  );
  const before = 'export const EPOCHS = 1;\n';
  const after = 'export const EPOCHS = 2;\n';
  await put(`${base}/epochs.js`, before);
  const epochsUrl = `${CDN}${base}/epochs.js`;

  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  await page.evaluate(
    async ({ manifestUrl, cdn }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      await import(/* @vite-ignore */ String('/src/ui/pb-trainer.ts'));
      const host = await createHost({ onWarning: () => {} });
      await host.plugins.install(manifestUrl, { allowOrigin: true });
      const rows = Array.from({ length: 20 }, (_, index) => ({ sentence: index % 2 ? 'model reads file line' : 'browser streams texts words', category: index % 2 ? 'first' : 'second' }));
      const train = async () => {
        const view = document.createElement('pb-trainer');
        Object.assign(view, { host, trackingUri: 'idb://worker-pins', modelName: `${cdn}/models/tiny-minilm`, rows, textColumn: 'sentence', labelColumn: 'category', registerAs: '' });
        document.body.append(view);
        const result = await view.train();
        view.remove();
        const { code, stage, url, group, plugin } = (view.problem ?? {}) as Record<string, unknown>;
        return { epochs: result?.epochs, code, stage, url, group, plugin };
      };
      Object.assign(globalThis, { train });
    },
    { manifestUrl: `${CDN}${base}/manifest.json`, cdn: CDN },
  );
  const train = () => page.evaluate(() => (globalThis as unknown as { train: () => Promise<Record<string, unknown>> }).train());

  expect(await train()).toEqual({ epochs: 1 });
  await put(`${base}/epochs.js`, after);
  expect(await train()).toEqual({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', url: epochsUrl, group: 'codex_ml.trainers', plugin: 'functional' });
});
