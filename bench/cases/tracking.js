// Case 3 — tracking: the built-in IndexedDB tracking store in Chromium, with a profile on disk, against the raw
// IndexedDB API: logBatch of 100,000 points, getMetricHistory of them, searchRuns over 10,000 runs.
import { join } from 'node:path';
import { alternate } from '../lib/alternate.js';
import { launchPersistent, watchPage } from '../lib/browser.js';
import { absoluteEntry, notMeasured, pairEntry } from '../lib/results.js';
import { startStaticServer } from '../lib/static-server.js';
import { existsSync } from 'node:fs';

/** Runs the tracking cases; resolves with their entries (or "not measured" when the store is not built). */
export async function runTracking({ root, work, quick, log }) {
  const points = quick ? 10_000 : 100_000;
  const runs = quick ? 1_000 : 10_000;
  if (!existsSync(join(root, 'dist/plugins/stores/idb.js'))) {
    const reason = 'dist/plugins/stores/idb.js (the built-in IndexedDB tracking store) is not built';
    return [
      notMeasured({ caseName: 'tracking: logBatch', n: points, baselineName: 'raw IndexedDB, one record per point', target: 'ratio ≤ 0.1', reason }),
      notMeasured({ caseName: 'tracking: getMetricHistory', n: points, baselineName: 'raw IndexedDB index getAll', target: 'ratio ≤ 0.1', reason }),
      notMeasured({ caseName: 'tracking: searchRuns', n: runs, target: '< 100 ms', reason }),
    ];
  }
  const app = await startStaticServer({
    mounts: { '/bench/': join(root, 'bench/pages'), '/dist/': join(root, 'dist') },
    routes: { '/tracking.html': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/bench/tracking.js"></script>' } },
  });
  const context = await launchPersistent(join(work, 'tracking-profile'));
  const page = context.pages()[0] ?? (await context.newPage());
  watchPage(page, 'tracking');
  page.setDefaultTimeout(600_000);
  const call = (name, ...args) => page.evaluate(([fn, rest]) => window.bench[fn](...rest), [name, args]);
  const entries = [];
  try {
    await page.goto(`${app.origin}/tracking.html`);
    await page.waitForFunction(() => window.benchReady === true);

    // Writes: a fresh database per repetition and side, so neither writes into a grown store.
    const writes = await alternate(
      [
        { name: 'plugboard', run: (rep) => call('plugboardWrite', `pb-write-${rep}`, points) },
        { name: 'raw', run: (rep) => call('rawWrite', `raw-write-${rep}`, points) },
      ],
      { reps: quick ? 1 : 3 },
    );
    const lastRep = (quick ? 1 : 3) - 1;
    const rate = (ms) => `${Math.round(points / (ms / 1000)).toLocaleString('en')} points/s`;
    const write = pairEntry({
      caseName: `tracking: logBatch of ${points.toLocaleString('en')} points (batches of 1000)`,
      n: points,
      plugboard: writes.plugboard,
      baseline: writes.raw,
      baselineName: 'raw IndexedDB: one record per point, one transaction',
      maxRatio: 0.1,
      targetText: 'ratio ≤ 0.1 (≥ 10× the raw rate)',
      extra: { environment: 'Chromium, profile on disk' },
    });
    write.rate = `${rate(write.plugboard)} vs ${rate(write.baseline)}`;
    entries.push(write);
    log(`  logBatch: ${write.plugboard} ms vs raw ${write.baseline} ms → ${write.ratio ?? write.mismatch}`);

    const reads = await alternate(
      [
        { name: 'plugboard', run: () => call('plugboardRead', `pb-write-${lastRep}`) },
        { name: 'raw', run: () => call('rawRead', `raw-write-${lastRep}`) },
      ],
      { reps: quick ? 2 : 7, warmup: 1 },
    );
    const read = pairEntry({
      caseName: `tracking: getMetricHistory of ${points.toLocaleString('en')} points`,
      n: points,
      plugboard: reads.plugboard,
      baseline: reads.raw,
      baselineName: 'raw IndexedDB: index getAll of per-point records',
      maxRatio: 0.1,
      targetText: 'ratio ≤ 0.1 (≥ 10× the raw rate)',
      extra: { environment: 'Chromium, profile on disk' },
    });
    read.rate = `${rate(read.plugboard)} vs ${rate(read.baseline)}`;
    entries.push(read);
    log(`  getMetricHistory: ${read.plugboard} ms vs raw ${read.baseline} ms → ${read.ratio ?? read.mismatch}`);

    const fillStarted = performance.now();
    await call('plugboardFillRuns', 'pb-search', runs);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    await call('rawFillRuns', 'raw-search', runs);
    log(`  created ${runs} runs with metrics and params in ${fillSeconds.toFixed(1)} s`);
    const searches = await alternate(
      [
        { name: 'plugboard', run: () => call('plugboardSearch', 'pb-search') },
        { name: 'raw', run: () => call('rawSearch', 'raw-search') },
      ],
      { reps: quick ? 3 : 9, warmup: 1 },
    );
    const caseName = `tracking: searchRuns over ${runs.toLocaleString('en')} runs (metrics + params filter, orderBy)`;
    const extra = { filter: "metrics.acc > 0.5 AND params.model = 'bert'", orderBy: ['metrics.loss ASC'], matches: searches.plugboard.answers[0].length, creatingRunsSeconds: Number(fillSeconds.toFixed(1)) };
    entries.push(absoluteEntry({ caseName, n: runs, plugboard: searches.plugboard, maxMs: 100, extra }));
    const searchPair = pairEntry({ caseName: `${caseName} vs raw`, n: runs, plugboard: searches.plugboard, baseline: searches.raw, baselineName: 'raw IndexedDB: getAll of run records + filter + sort', extra });
    entries.push(searchPair);
    log(`  searchRuns: ${searchPair.plugboard} ms (raw getAll + filter + sort ${searchPair.baseline} ms) → ${searchPair.ratio ?? searchPair.mismatch}`);
  } finally {
    await context.close();
    await app.close();
  }
  return entries;
}
