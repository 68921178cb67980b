// Plugins published to the fixture CDN's /mutable/ area, whose bytes a spec changes after the page read them.
import { expect } from '@playwright/test';
import { CDN } from '../playwright.config.ts';

/** Writes `body` at `path` on the fixture CDN (under /mutable/). */
export async function putOnCdn(path: string, body: string): Promise<void> {
  const response = await fetch(`${CDN}${path}`, { method: 'PUT', body });
  expect(response.status).toBe(204);
}

/** The body of a `weight.js` that weightedMatch imports. */
export const weightModule = (weight: number): string => `export const WEIGHT = ${weight};\n`;

/**
 * Publishes, under a fresh folder of /mutable/ named after `name`, a manifest with one accumulator metric
 * `weighted_match` (so Workers can score it) whose score is the share of exact matches times WEIGHT, a number
 * it imports from `weight.js`; resolves with the folder's path, the manifest's URL and weight.js's URL.
 */
export async function publishWeightedMatch(name: string, weight = 1): Promise<{ base: string; manifestUrl: string; weightUrl: string }> {
  const base = `/mutable/${name}-${Date.now()}`;
  await putOnCdn(`${base}/manifest.json`, JSON.stringify({ manifestVersion: 1, name: `${name}-fixture`, groups: { 'codex_ml.metrics': { weighted_match: './weighted-match.js#weightedMatch' } } }));
  await putOnCdn(
    `${base}/weighted-match.js`,
    `import { WEIGHT } from './weight.js';
export const weightedMatch = {
  init: () => ({ hits: 0, rows: 0 }),
  update: (state, batch) => ({ hits: state.hits + batch.predictions.filter((p, i) => p === batch.references[i]).length, rows: state.rows + batch.predictions.length }),
  merge: (a, b) => ({ hits: a.hits + b.hits, rows: a.rows + b.rows }),
  finalize: (state) => ({ score: state.rows ? (WEIGHT * state.hits) / state.rows : 0 }),
};
`,
  );
  await putOnCdn(`${base}/weight.js`, weightModule(weight));
  return { base, manifestUrl: `${CDN}${base}/manifest.json`, weightUrl: `${CDN}${base}/weight.js` };
}
