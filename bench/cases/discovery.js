// Case 2 — discovery: createHost over manifests with 1,000 entry points, then discover() of every group; no
// plugin code runs. Held against a hand-written floor that parses the same JSON and resolves the same URLs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from '../lib/alternate.js';
import { absoluteEntry, pairEntry } from '../lib/results.js';

const GROUPS = ['codex_ml.metrics', 'codex_ml.data_loaders', 'codex_ml.tokenizers', 'codex_ml.models', 'codex_ml.trainers', 'codex_ml.plugins', 'team.reports', 'team.exporters', 'lab.widgets', 'lab.checks'];

/** Four manifests of 250 entry points over ten groups, some names repeated across manifests (the first wins). */
function makeManifests(total) {
  const perManifest = total / 4;
  return Array.from({ length: 4 }, (_, m) => {
    const groups = {};
    for (let i = 0; i < perManifest; i += 1) {
      const group = GROUPS[(i * 7 + m) % GROUPS.length];
      // A quarter of the names exist in the previous manifest too, so layering has shadowing to do.
      const name = i % 4 === 0 && m > 0 ? `plugin_${m - 1}_${i}` : `plugin_${m}_${i}`;
      groups[group] ??= {};
      groups[group][name] =
        i % 3 === 0
          ? `./plugins/${group}/${name}.js#${name}`
          : { url: `https://cdn${m}.example/pkg-${i}@1.${i % 10}.0/dist/${name}.js`, export: 'default', api: 'v1', version: `1.${i % 10}.0`, description: `Plugin ${name} of manifest ${m}.` };
    }
    return { url: `https://repo${m}.example/team/manifest.json`, text: JSON.stringify({ manifestVersion: 1, name: `team-${m}`, imports: { [`shared-${m}`]: `https://cdn${m}.example/shared.js` }, groups }) };
  });
}

/** The floor: JSON.parse, "url#export" split, URLs resolved against the manifest, first manifest wins, sorted by name. */
function discoverByHand(manifests) {
  const byGroup = new Map();
  for (const { url, text } of manifests) {
    const manifest = JSON.parse(text);
    for (const [group, entries] of Object.entries(manifest.groups)) {
      let names = byGroup.get(group);
      if (!names) byGroup.set(group, (names = new Map()));
      for (const [name, spec] of Object.entries(entries)) {
        if (names.has(name)) continue;
        const raw = typeof spec === 'string' ? spec : spec.url;
        const hash = typeof spec === 'string' ? raw.lastIndexOf('#') : -1;
        const exportName = typeof spec === 'string' ? (hash < 0 ? 'default' : raw.slice(hash + 1)) : (spec.export ?? 'default');
        names.set(name, { name, url: new URL(hash < 0 ? raw : raw.slice(0, hash), url).href, export: exportName });
      }
    }
  }
  const listing = [];
  for (const group of [...byGroup.keys()].sort()) {
    const names = [...byGroup.get(group).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) listing.push(`${group}/${entry.name} ${entry.url}#${entry.export}`);
  }
  return listing;
}

/** Runs the discovery case in Node against dist/index.js. */
export async function runDiscovery({ root, quick, log }) {
  const { createHost } = await import(pathToFileURL(join(root, 'dist/index.js')).href);
  const total = 1000;
  const manifests = makeManifests(total);
  const sides = [
    {
      name: 'plugboard',
      run: async () => {
        const started = performance.now();
        const host = await createHost({ manifests: manifests.map(({ url, text }) => ({ url, json: JSON.parse(text) })), builtins: false, onWarning: () => {} });
        const listing = [];
        for (const group of host.groups()) {
          for (const entry of host.discover(group)) listing.push(`${group}/${entry.name} ${entry.url}#${entry.export}`);
        }
        const ms = performance.now() - started;
        const discoverStarted = performance.now();
        for (const group of host.groups()) host.discover(group);
        return { ms, answer: { listing, errors: host.report().length, discoverOnlyMs: performance.now() - discoverStarted } };
      },
    },
    {
      name: 'floor',
      run: async () => {
        const started = performance.now();
        const listing = discoverByHand(manifests);
        return { ms: performance.now() - started, answer: { listing, errors: 0 } };
      },
    },
  ];
  // The first call of each side runs cold (nothing compiled yet), as in a page that discovers once.
  const cold = {};
  for (const side of sides) cold[side.name] = (await side.run()).ms;
  const samples = await alternate(sides, { reps: quick ? 20 : 200, warmup: quick ? 5 : 20 });
  const discoverOnly = samples.plugboard.answers.map((answer) => answer.discoverOnlyMs).sort((a, b) => a - b);
  for (const answer of samples.plugboard.answers) delete answer.discoverOnlyMs;
  const extra = {
    entryPoints: total,
    manifests: manifests.length,
    firstCallMs: { plugboard: Number(cold.plugboard.toFixed(2)), floor: Number(cold.floor.toFixed(2)) },
    discoverAllGroupsOnlyMs: Number(discoverOnly[discoverOnly.length >> 1].toFixed(3)),
    environment: `Node ${process.version}, warm (median after ${quick ? 5 : 20} warm-up rounds)`,
  };
  const absolute = absoluteEntry({ caseName: 'discovery: createHost + discover() of every group', n: total, plugboard: samples.plugboard, maxMs: 5, extra });
  const pair = pairEntry({ caseName: 'discovery vs hand-written manifest reading', n: total, plugboard: samples.plugboard, baseline: samples.floor, baselineName: 'JSON.parse + new URL() + sort (floor)', extra: { environment: extra.environment } });
  log(`  createHost + discover: ${absolute.plugboard} ms (first call ${extra.firstCallMs.plugboard} ms); floor ${pair.baseline} ms; ratio ${pair.ratio ?? pair.mismatch}`);
  return [absolute, pair];
}
