// Case 2 — discovery: createHost over manifests with 1,000 entry points, then discover() of every group; no
// plugin code runs. In Node and in Chromium, against dist/index.js, beside a hand-written floor.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from '../lib/alternate.js';
import { launchBrowser, watchPage } from '../lib/browser.js';
import { profileInNode, topOf } from '../lib/profile.js';
import { absoluteEntry, pairEntry } from '../lib/results.js';
import { startStaticServer } from '../lib/static-server.js';
import { makeManifests, timeDiscovery } from '../fixtures/manifests.js';

const TOTAL = 1000;

/** Turns one environment's samples into its two entries: the < 5 ms target, and the ratio to the floor. */
function entriesOf(environment, samples, cold, warmup, log) {
  const discoverOnly = samples.plugboard.extra.sort((a, b) => a - b);
  const extra = {
    entryPoints: TOTAL,
    manifests: 4,
    firstCallMs: { plugboard: Number(cold.plugboard.toFixed(2)), floor: Number(cold.floor.toFixed(2)) },
    discoverAllGroupsOnlyMs: Number(discoverOnly[discoverOnly.length >> 1].toFixed(3)),
    environment: `${environment}, warm (median after ${warmup} warm-up rounds)`,
  };
  const absolute = absoluteEntry({ caseName: `discovery: createHost + discover() of every group (${environment})`, n: TOTAL, plugboard: samples.plugboard, maxMs: 5, extra });
  const pair = pairEntry({ caseName: `discovery vs hand-written manifest reading (${environment})`, n: TOTAL, plugboard: samples.plugboard, baseline: samples.floor, baselineName: 'JSON.parse + new URL() + sort (floor)', extra: { environment: extra.environment } });
  log(`  ${environment}: createHost + discover ${absolute.plugboard} ms (first call ${extra.firstCallMs.plugboard} ms, discover() alone ${extra.discoverAllGroupsOnlyMs} ms); floor ${pair.baseline} ms; ratio ${pair.ratio ?? pair.mismatch}`);
  return [absolute, pair];
}

/** Runs both sides `reps` times alternating, after one cold call each; `run(side)` resolves with timeDiscovery's answer. */
async function sample(run, reps, warmup) {
  const cold = {};
  for (const side of ['plugboard', 'floor']) cold[side] = (await run(side)).ms;
  const discoverOnly = [];
  const samples = await alternate(
    ['plugboard', 'floor'].map((side) => ({
      name: side,
      run: async () => {
        const outcome = await run(side);
        if (side === 'plugboard') discoverOnly.push(outcome.discoverOnlyMs);
        return outcome;
      },
    })),
    { reps, warmup },
  );
  samples.plugboard.extra = discoverOnly.slice(-reps);
  return { samples, cold };
}

/** Runs the discovery case in Node and in Chromium. */
export async function runDiscovery({ root, work, quick, profile = false, log }) {
  const reps = quick ? 20 : 200;
  const warmup = quick ? 5 : 20;
  const { createHost } = await import(pathToFileURL(join(root, 'dist/index.js')).href);
  const manifests = makeManifests(TOTAL);
  const node = await sample((side) => timeDiscovery(side, createHost, manifests), reps, warmup);
  const entries = entriesOf(`Node ${process.version}`, node.samples, node.cold, warmup, log);
  if (profile) {
    const { rows } = await profileInNode({ work, name: 'discovery-node', distFolder: join(root, 'dist') }, async () => {
      for (let i = 0; i < 100; i += 1) await timeDiscovery('plugboard', createHost, manifests);
    });
    entries[0].profile = topOf(rows, 8);
    log(`  profile of 100 createHost + discover in Node: ${entries[0].profile.slice(0, 5).join('; ')}`);
  }

  const app = await startStaticServer({
    mounts: { '/bench/': join(root, 'bench/pages'), '/bench-fixtures/': join(root, 'bench/fixtures'), '/dist/': join(root, 'dist') },
    routes: { '/discovery.html': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/bench/discovery.js"></script>' } },
  });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    watchPage(page, 'discovery');
    await page.goto(`${app.origin}/discovery.html`);
    await page.waitForFunction(() => window.benchReady === true);
    const chromium = await sample((side) => page.evaluate((s) => window.runDiscovery(s), side), reps, warmup);
    entries.push(...entriesOf('Chromium', chromium.samples, chromium.cold, warmup, log));
  } finally {
    await browser.close();
    await app.close();
  }
  return entries;
}
