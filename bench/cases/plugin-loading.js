// Case 1 — plugin loading: createHost + loadGroup vs native import() (floor), es-module-shims and SystemJS (peers),
// N generated modules on a second origin, a fresh browser context for every repetition.
import { join } from 'node:path';
import { alternate, differenceBetween } from '../lib/alternate.js';
import { launchBrowser, watchPage } from '../lib/browser.js';
import { profileInPage, topOf } from '../lib/profile.js';
import { pairEntry } from '../lib/results.js';
import { startStaticServer } from '../lib/static-server.js';
import { SHARED_SPECIFIER, writePluginModules } from '../fixtures/plugin-modules.js';

const SIDES = ['plugboard', 'floor', 'es-module-shims', 'systemjs'];
const BASELINES = { floor: 'native import() + import map (floor)', 'es-module-shims': 'es-module-shims importShim (peer)', systemjs: 'SystemJS System.import (peer)' };

function pageHtml(side, cdn) {
  const head = {
    plugboard: `<script type="module">import * as plugboard from '/dist/index.js'; window.plugboard = plugboard;</script>`,
    floor: `<script type="importmap">${JSON.stringify({ imports: { [SHARED_SPECIFIER]: `${cdn}/shared.js` } })}</script>`,
    'es-module-shims':
      `<script type="esms-options">{"shimMode": true}</script>` +
      `<script type="importmap-shim">${JSON.stringify({ imports: { [SHARED_SPECIFIER]: `${cdn}/shared.js` } })}</script>` +
      `<script src="/node_modules/es-module-shims/dist/es-module-shims.js"></script>`,
    systemjs:
      `<script type="systemjs-importmap">${JSON.stringify({ imports: { [SHARED_SPECIFIER]: `${cdn}/shared.system.js` } })}</script>` +
      `<script src="/node_modules/systemjs/dist/system.min.js"></script>`,
  }[side];
  return `<!doctype html><html><head><meta charset="utf-8"><title>loading: ${side}</title>${head}` +
    `<script type="module" src="/bench/plugin-loading.js"></script></head><body></body></html>`;
}

/** Both sides hold the same plugins computing the same values (how many requests each made may differ). */
function sameLoadingAnswer(mine, theirs) {
  const { serverRequests: _mine, ...a } = mine;
  const { serverRequests: _theirs, ...b } = theirs;
  return differenceBetween(a, b);
}

/**
 * Runs the loading case for each N and resolves with one results entry per N and baseline. `cacheControl`
 * is what the CDN answers (default: a year, immutable — the usual header of versioned CDN URLs).
 */
export async function runPluginLoading({ root, work, quick, profile = false, log, cacheControl = 'public, max-age=31536000, immutable' }) {
  const sizes = quick ? [200] : [50, 200, 1000];
  const reps = quick ? 2 : { 50: 9, 200: 7, 1000: 5 };
  const folder = writePluginModules(join(work, 'loading-cdn'), Math.max(...sizes), sizes);
  const cdn = await startStaticServer({ mounts: { '/': folder }, cacheControl });
  // The same files from a server that makes every reuse a revalidation (as dev servers and the e2e CDN answer).
  const revalidating = await startStaticServer({ mounts: { '/': folder }, cacheControl: 'no-cache' });
  const routes = Object.fromEntries(SIDES.map((side) => [`/loading/${side}.html`, { type: 'text/html; charset=utf-8', body: pageHtml(side, cdn.origin) }]));
  routes['/loading/floor-revalidating.html'] = { type: 'text/html; charset=utf-8', body: pageHtml('floor', revalidating.origin) };
  const app = await startStaticServer({
    mounts: {
      '/bench/': join(root, 'bench/pages'),
      '/dist/': join(root, 'dist'),
      '/node_modules/es-module-shims/': join(root, 'node_modules/es-module-shims'),
      '/node_modules/systemjs/': join(root, 'node_modules/systemjs'),
    },
    routes,
  });
  const browser = await launchBrowser();
  const entries = [];
  try {
    const runIn = async (side, n, pageName = side, server = cdn) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        watchPage(page, `loading ${side} N=${n}`);
        await page.goto(`${app.origin}/loading/${pageName}.html`);
        await page.waitForFunction(() => window.benchReady === true);
        server.counts({ reset: true });
        const outcome = await page.evaluate(([s, url]) => window.runBench(s, url), [side, `${server.origin}/manifest-${n}.json`]);
        return { ...outcome, answer: { ...outcome.answer, serverRequests: server.counts().requests } };
      } finally {
        await context.close();
      }
    };
    for (const n of sizes) {
      const run = (side) => runIn(side, n);
      const samples = await alternate(
        SIDES.map((side) => ({ name: side, run: () => run(side) })),
        { reps: typeof reps === 'number' ? reps : reps[n], warmup: quick ? 0 : 1 },
      );
      for (const baseline of SIDES.slice(1)) {
        const isFloor = baseline === 'floor';
        const entry = pairEntry({
          compare: sameLoadingAnswer,
          caseName: `plugin loading vs ${baseline}`,
          n,
          plugboard: samples.plugboard,
          baseline: samples[baseline],
          baselineName: BASELINES[baseline],
          maxRatio: n >= 200 ? (isFloor ? 1.15 : 1) : null,
          targetText: n >= 200 ? (isFloor ? 'ratio ≤ 1.15' : 'ratio < 1 (faster than the peer)') : 'none at N = 50 (reported)',
          extra: {
            environment: 'Chromium, fresh context per repetition',
            cdnCacheControl: cacheControl,
            cdnRequests: { plugboard: samples.plugboard.answers[0].serverRequests, [baseline]: samples[baseline].answers[0].serverRequests },
          },
        });
        if (!isFloor && entry.met === true && entry.ratio >= 1) entry.met = false;
        entries.push(entry);
        log(`  N=${n} plugboard ${entry.plugboard} ms vs ${baseline} ${entry.baseline} ms → ${entry.ratio ?? entry.mismatch}`);
      }
    }
    if (profile) {
      const n = Math.max(...sizes);
      for (const side of ['plugboard', 'floor']) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${app.origin}/loading/${side}.html`);
        await page.waitForFunction(() => window.benchReady === true);
        const { rows } = await profileInPage(context, page, { work, name: `loading-${side}-${n}`, distFolder: join(root, 'dist') }, () =>
          page.evaluate(([s, url]) => window.runBench(s, url), [side, `${cdn.origin}/manifest-${n}.json`]),
        );
        await context.close();
        const entry = entries.find((candidate) => candidate.n === n && candidate.case === 'plugin loading vs floor');
        entry.profile = { ...(entry.profile ?? {}), [side]: topOf(rows, 8) };
        log(`  profile of ${side} at N=${n}: ${topOf(rows, 6).join('; ')}`);
      }
    }
    if (!quick) {
      const n = 200;
      const samples = await alternate(
        [
          { name: 'plugboard', run: () => runIn('plugboard', n, 'plugboard', revalidating) },
          { name: 'floor', run: () => runIn('floor', n, 'floor-revalidating', revalidating) },
        ],
        { reps: 5, warmup: 1 },
      );
      const entry = pairEntry({
        caseName: 'plugin loading vs floor, CDN answering Cache-Control: no-cache',
        n,
        plugboard: samples.plugboard,
        baseline: samples.floor,
        baselineName: BASELINES.floor,
        compare: sameLoadingAnswer,
        targetText: 'none (shows what the preflight costs when the HTTP cache cannot be reused without asking)',
        extra: { cdnCacheControl: 'no-cache', cdnRequests: { plugboard: samples.plugboard.answers[0].serverRequests, floor: samples.floor.answers[0].serverRequests } },
      });
      entries.push(entry);
      log(`  N=${n}, no-cache CDN: plugboard ${entry.plugboard} ms vs floor ${entry.baseline} ms → ${entry.ratio ?? entry.mismatch}`);
    }
  } finally {
    await browser.close();
    await app.close();
    await cdn.close();
    await revalidating.close();
  }
  return entries;
}
