// Probe (not part of npm run bench): times loading strategies side by side, alternating, a fresh browser context each,
// to split the loading case's gap to the floor into "second pass per module" and "Plugboard's own work".
// Usage: node bench/probes/loading-variants.js [N=1000] [repetitions=5] [words,picking,variants]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.js';
import { summarize } from '../lib/stats.js';
import { profileInPage } from '../lib/profile.js';
import { startStaticServer } from '../lib/static-server.js';
import { SHARED_SPECIFIER, writePluginModules } from '../fixtures/plugin-modules.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const n = Number(process.argv[2] ?? 1000);
const reps = Number(process.argv[3] ?? 5);
const folder = writePluginModules(join(root, 'bench/.work/loading-cdn'), Math.max(n, 1000), [50, 200, 1000, n]);
const cdn = await startStaticServer({ mounts: { '/': folder }, cacheControl: 'public, max-age=31536000, immutable' });
const map = `<script type="importmap">${JSON.stringify({ imports: { [SHARED_SPECIFIER]: `${cdn.origin}/shared.js` } })}</script>`;
const app = await startStaticServer({
  mounts: { '/bench/': join(root, 'bench/pages'), '/dist/': join(root, 'dist') },
  routes: {
    '/static-map.html': { type: 'text/html', body: `<!doctype html>${map}<script type="module" src="/bench/loading-variants.js"></script>` },
    '/host.html': { type: 'text/html', body: '<!doctype html><script type="module" src="/bench/loading-variants.js"></script>' },
  },
});
const browser = await launchBrowser();
const times = {};
const requests = {};
const failures = {};
let variants = [];
for (let rep = 0; rep < reps; rep += 1) {
  if (rep === 0) {
    const page = await browser.newPage();
    await page.goto(`${app.origin}/host.html`);
    await page.waitForFunction(() => window.benchReady === true);
    variants = await page.evaluate(() => window.variants);
    if (process.argv[4]) variants = variants.filter((variant) => variant === 'import()' || process.argv[4].split(',').some((word) => variant.includes(word)));
    await page.close();
  }
  const order = [...variants.slice(rep % variants.length), ...variants.slice(0, rep % variants.length)];
  for (const variant of order) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.origin}/${variant === 'plugboard' ? 'host' : 'static-map'}.html`);
    await page.waitForFunction(() => window.benchReady === true);
    cdn.counts({ reset: true });
    try {
      (times[variant] ??= []).push(await page.evaluate(([v, url]) => window.runVariant(v, url), [variant, `${cdn.origin}/manifest-${n}.json`]));
      requests[variant] = cdn.counts().requests;
    } catch (error) {
      failures[variant] = String(error.message).split('\n')[0];
    }
    await context.close();
  }
}
// PROFILE=<variant> adds one profiled run of that variant and prints its top self-time rows.
if (process.env.PROFILE) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.origin}/${process.env.PROFILE === 'plugboard' ? 'host' : 'static-map'}.html`);
  await page.waitForFunction(() => window.benchReady === true);
  const { rows } = await profileInPage(context, page, { work: join(root, 'bench/.work'), name: `probe-${n}`, distFolder: join(root, 'dist') }, () =>
    page.evaluate(([v, url]) => window.runVariant(v, url), [process.env.PROFILE, `${cdn.origin}/manifest-${n}.json`]),
  );
  for (const row of rows) console.log(`${String(row.share).padStart(5)}%  ${String(row.selfMs).padStart(8)} ms  ${row.name}  ${row.where}`);
  await context.close();
}
const floor = summarize(times['import()']).median;
console.log(`N = ${n}, ${reps} repetitions, fresh context each; median ms (min–max), ratio to import(), CDN requests`);
for (const variant of variants) {
  if (!times[variant]?.length) {
    console.log(`${variant.padEnd(46)} failed: ${failures[variant]}`);
    continue;
  }
  const { median, min, max } = summarize(times[variant]);
  console.log(`${variant.padEnd(46)} ${median.toFixed(0).padStart(6)} (${min.toFixed(0)}–${max.toFixed(0)})  ×${(median / floor).toFixed(2)}  ${requests[variant]}`);
}
await browser.close();
await app.close();
await cdn.close();
