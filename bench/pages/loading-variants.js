// Loading strategies a preflighting host could use, timed like the loading case (manifest read to plugins in hand).
// Used by bench/probes/loading-variants.js to find what the preflight costs and what does not help.
import * as plugboard from '/dist/index.js';

const GROUP = 'codex_ml.metrics';

async function readEntries(manifestUrl) {
  const manifest = await (await fetch(manifestUrl)).json();
  return Object.entries(manifest.groups[GROUP]).map(([name, spec]) => {
    const hash = spec.lastIndexOf('#');
    return { name, url: new URL(spec.slice(0, hash), manifestUrl).href, exportName: spec.slice(hash + 1) };
  });
}

const bytesOf = async (url) => new Uint8Array(await (await fetch(url, { credentials: 'same-origin' })).arrayBuffer());
const dataModule = (source) => `data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`;
const blobModule = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));

const VARIANTS = {
  /** The floor: import() of each URL. */
  'import()': (entries) => Promise.all(entries.map((entry) => import(entry.url))),
  /** One blob module re-exporting every plugin: one module graph instead of N dynamic imports. */
  'one aggregate import': (entries) => import(blobModule(entries.map((entry, i) => `export * as m${i} from ${JSON.stringify(entry.url)};`).join('\n'))),
  /** The least a preflight can do: fetch each module's bytes, then import() it (the HTTP cache serves the import). */
  'fetch, then import() each': (entries) => Promise.all(entries.map(async (entry) => (await bytesOf(entry.url), import(entry.url)))),
  /** All preflight fetches first, then all imports (two phases instead of interleaving). */
  'fetch all, then import() all': async (entries) => {
    await Promise.all(entries.map((entry) => bytesOf(entry.url)));
    return Promise.all(entries.map((entry) => import(entry.url)));
  },
  /** modulepreload (fetch + compile, no evaluation) started beside the preflight fetch, then import(). */
  'modulepreload + fetch, then import()': (entries) => {
    for (const entry of entries) document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href: entry.url }));
    return Promise.all(entries.map(async (entry) => (await bytesOf(entry.url), import(entry.url))));
  },
  /** One network pass: fetch the source, import it from a blob: URL (what es-module-shims does; changes import.meta.url and module identity). */
  'fetch, then import the bytes from a blob: URL': (entries) =>
    Promise.all(entries.map(async (entry) => import(blobModule(await (await fetch(entry.url, { credentials: 'same-origin' })).text())))),
  /** One network pass: fetch the source, import it from a data: URL (Chromium loads data: URLs inside the renderer). */
  'fetch, then import the text from a data: URL': (entries) =>
    Promise.all(entries.map(async (entry) => import(dataModule(await (await fetch(entry.url, { credentials: 'same-origin' })).text())))),
  /** As above, with the bytes base64-encoded (Uint8Array.prototype.toBase64) instead of percent-encoded text. */
  'fetch, then import base64 data: URL': (entries) =>
    Promise.all(entries.map(async (entry) => {
      const bytes = new Uint8Array(await (await fetch(entry.url, { credentials: 'same-origin' })).arrayBuffer());
      new TextDecoder().decode(bytes);
      return import(`data:text/javascript;base64,${bytes.toBase64()}`);
    })),
  /** data: URLs for every module, imported through one aggregate data: module. */
  'fetch, then one aggregate of data: URLs': async (entries) => {
    const urls = await Promise.all(entries.map(async (entry) => dataModule(await (await fetch(entry.url, { credentials: 'same-origin' })).text())));
    return import(dataModule(urls.map((url, i) => `export * as m${i} from ${JSON.stringify(url)};`).join('\n')));
  },
  /** One network pass: fetch the source, run it as an inline module script that hands its exports back. */
  'fetch, then inline <script type=module>': (entries) => {
    const pending = new Map();
    window.__handOff = (id, namespace) => pending.get(id)(namespace);
    return Promise.all(entries.map(async (entry, id) => {
      const source = await (await fetch(entry.url, { credentials: 'same-origin' })).text();
      const exported = new Promise((resolve) => pending.set(id, resolve));
      const script = document.createElement('script');
      script.type = 'module';
      script.textContent = `${source}\nwindow.__handOff(${id}, { get ${entry.exportName}() { return ${entry.exportName}; } });\n//# sourceURL=${entry.url}`;
      document.head.append(script);
      return exported;
    }));
  },
  /** Only the preflight fetches (text), no import: what the network pass alone costs. */
  'fetch text only (no import)': (entries) => Promise.all(entries.map(async (entry) => (await fetch(entry.url, { credentials: 'same-origin' })).text())),
};

window.runVariant = async (variant, manifestUrl) => {
  const started = performance.now();
  if (variant === 'plugboard') {
    const host = await plugboard.createHost({ manifests: [manifestUrl], builtins: false, onWarning: () => {} });
    const report = await host.loadGroup(GROUP);
    if (report.errors.length) throw new Error(report.errors[0].problem);
  } else {
    await VARIANTS[variant](await readEntries(manifestUrl));
  }
  return performance.now() - started;
};
window.variants = ['plugboard', ...Object.keys(VARIANTS)];
window.benchReady = true;
