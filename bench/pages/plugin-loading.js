// The loading case in the page: each side reads the same manifest and loads every plugin module it lists.
// Every side starts its clock before it reads the manifest and stops it when it holds every plugin object.

const GROUP = 'codex_ml.metrics';
const SAMPLE = { predictions: ['A', 'b ', 'c', 'same  words'], references: ['a', 'B', 'x', 'Same words'] };

/** The entries of the manifest's group as `{ name, url, exportName }`, URLs resolved against the manifest. */
async function readEntries(manifestUrl) {
  const response = await fetch(manifestUrl);
  const manifest = await response.json();
  return Object.entries(manifest.groups[GROUP]).map(([name, spec]) => {
    const hash = spec.lastIndexOf('#');
    return { name, url: new URL(spec.slice(0, hash), manifestUrl).href, exportName: spec.slice(hash + 1) };
  });
}

/** What every side must agree on: how many plugins it holds and what they compute on a fixed sample. */
function answerOf(plugins) {
  let checksum = 0;
  let stamped = 0;
  for (const [, plugin] of [...plugins].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    checksum += plugin.finalize(plugin.merge(plugin.init(), plugin.update(plugin.init(), SAMPLE))).score;
    if (plugin.api === 'v1') stamped += 1;
  }
  return { count: plugins.length, stamped, checksum: Number(checksum.toFixed(6)) };
}

async function importAll(manifestUrl, importOne) {
  const entries = await readEntries(manifestUrl);
  const namespaces = await Promise.all(entries.map((entry) => importOne(entry.url)));
  return entries.map((entry, index) => [entry.name, namespaces[index][entry.exportName]]);
}

const SIDES = {
  /** Plugboard: createHost reads the manifest, installs its import map, then loadGroup preflights, imports, validates, registers. */
  async plugboard(manifestUrl) {
    const { createHost } = window.plugboard;
    const host = await createHost({ manifests: [manifestUrl], builtins: false, onWarning: () => {} });
    const report = await host.loadGroup(GROUP);
    if (report.errors.length) throw new Error(`${report.errors.length} plugins failed; first: ${report.errors[0].problem}`);
    return host.registry(GROUP).entries();
  },
  /** The floor: native import() under the page's native import map. */
  floor: (manifestUrl) => importAll(manifestUrl, (url) => import(url)),
  /** es-module-shims in shim mode: its own fetch, lex and rewrite, under an importmap-shim. */
  'es-module-shims': (manifestUrl) => importAll(manifestUrl, (url) => window.importShim(url)),
  /** SystemJS: the same modules in System.register format, under a systemjs-importmap. */
  systemjs: (manifestUrl) => importAll(manifestUrl, (url) => window.System.import(url.replace(/\.js$/, '.system.js'))),
};

/** Loads every plugin of the manifest with one side; resolves with `{ ms, answer }`. */
window.runBench = async (side, manifestUrl) => {
  const started = performance.now();
  const plugins = await SIDES[side](manifestUrl);
  const ms = performance.now() - started;
  return { ms, answer: answerOf(plugins) };
};
window.benchReady = true;
