// An installed plugin scores in Workers with its CDN unreachable: each Worker reads the plugin's pinned modules
// from the page's module cache (the Cache API, shared by a page and its Workers) when no server answers, checks
// them against their pins as the page does, and scores what the page itself scores.
import { expect, test } from '@playwright/test';
import { CDN } from '../playwright.config.ts';
import { publishWeightedMatch } from './mutable-cdn.ts';

/** How many times the CDN was asked for `path`. */
async function requested(path: string): Promise<number> {
  return Number(await (await fetch(`${CDN}/__requests?url=${encodeURIComponent(path)}`)).text());
}

interface Outcome {
  score?: unknown;
  workers?: number;
  workersUnavailable?: string;
  error?: string;
}

test('an installed metric scores in Workers from the module cache when its CDN does not answer, as the page scores it', async ({ page, context }) => {
  test.setTimeout(90_000);
  const db = `e2e-worker-offline-${Date.now()}`;
  const { base, manifestUrl, weightUrl } = await publishWeightedMatch('worker-offline', 3);

  /** Opens a host over the installed plugins in a fresh page, installing the plugin first when asked. */
  const open = async (install: boolean) => {
    await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
    await page.evaluate(
      async ({ manifestUrl, db, install }) => {
        const { createHost, idbInstalledPlugins } = await import(/* @vite-ignore */ String('/src/index.ts'));
        const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
        const host = await createHost({ installedPlugins: idbInstalledPlugins(db), scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
        if (install) await host.plugins.install(manifestUrl, { allowOrigin: true });
        const evaluate = async (workers: number): Promise<Outcome> => {
          const source = new File(['prediction,reference\na,a\nb,c\nd,d\n'], 'pairs.csv');
          try {
            const result = await host.evaluate({ source, metrics: ['weighted_match'], workers });
            return { score: result.scores.weighted_match, workers: result.workers, ...(result.workersUnavailable ? { workersUnavailable: result.workersUnavailable } : {}) };
          } catch (thrown) {
            return { error: String((thrown as Error).message) };
          }
        };
        Object.assign(globalThis, { evaluate });
      },
      { manifestUrl, db, install },
    );
  };
  const evaluate = (workers: number) => page.evaluate((count) => (globalThis as unknown as { evaluate: (workers: number) => Promise<Outcome> }).evaluate(count), workers);

  await open(true);
  const online = await evaluate(1);
  expect(online).toEqual({ score: { score: 2 }, workers: 1 });
  expect(await page.evaluate(async (url) => Boolean(await (await caches.open('plugboard-modules')).match(url)), weightUrl)).toBe(true);

  // The CDN stops answering, for the page and for its Workers alike.
  await context.route(`${CDN}/**`, (route) => route.abort('internetdisconnected'));
  const asked = await requested(`${base}/weight.js`);
  await open(false);
  const inPage = await evaluate(0);
  expect(inPage).toEqual({ score: { score: 2 }, workers: 0 });
  const inWorkers = await evaluate(1);
  // Scored in the Workers (no reason to fall back to the page), with the page's own score.
  expect(inWorkers).toEqual({ score: inPage.score, workers: 1 });
  expect(await requested(`${base}/weight.js`)).toBe(asked);
});
