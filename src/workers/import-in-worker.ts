import { init, parse } from 'es-module-lexer/minimal';
import { PlugboardError, messageOf } from '../errors/index.ts';
import { relocateSource, verifyIntegrity, type UrlDependentPlace } from '../loader/index.ts';

/** How a module graph is fetched and rewritten for a Worker. */
export interface WorkerImportOptions {
  /** The host's import map: bare specifier (or prefix ending in `/`) → absolute URL. */
  imports: Readonly<Record<string, string>>;
  /** Reads a module's bytes; default `fetch`. */
  readBytes?: (url: string) => Promise<Uint8Array>;
  /** Makes a URL a module can be imported from; default a `blob:` URL. */
  toModuleUrl?: (source: string) => string;
  /** Imports a module URL; default `import()`. */
  importUrl?: (url: string) => Promise<Record<string, unknown>>;
}

/** One module of the graph: the URL it is imported from in the Worker (its own, or the rewritten copy's). */
interface Prepared {
  runAt: string;
  source: string;
}

const STATIC_FORMS = new Set([1, 4, 6, 8]);
const DYNAMIC_IMPORT = 2;
const DYNAMIC_FORMS = new Set([5, 7]);
const IMPORT_META = 3;
/** Importers made so far in this realm; numbers each one's hook. */
let importers = 0;

/**
 * Imports ES modules in a place without import maps (a module Worker) as the host's page would: every bare
 * specifier of the entry module and of every module it imports, statically or by `import()` (of a string or
 * a computed value), is resolved through `imports`. Static imports are fetched before the entry runs; a module
 * imported by `import()` is fetched only when that call runs. A module whose graph has no bare specifier and
 * no `import()` is imported by its own URL; any other is fetched, its specifiers rewritten to absolute URLs
 * (its `import()` calls to this importer, `import.meta` to its own URL), and run from a `blob:` URL — each
 * module once, so every plugin shares one copy of each module (the SDK among them).
 */
export class WorkerImporter {
  #options: WorkerImportOptions;
  #prepared = new Map<string, Promise<Prepared>>();
  #bytes = new Map<string, Promise<Uint8Array>>();
  /** Modules that must run from the bytes that were checked, never fetched again by URL. */
  #pinned = new Set<string>();

  /** The global a rewritten module's `import(…)` calls, and the function it calls (one per importer). */
  #hookKey = `plugboard.workerImport.${++importers}`;
  #hookName = `__plugboard_worker_import_${importers}`;

  /** Creates an importer over the host's import map. */
  constructor(options: WorkerImportOptions) {
    this.#options = options;
    Object.defineProperty(globalThis, Symbol.for(this.#hookKey), {
      configurable: true,
      value: async (specifier: unknown, parent: string) => this.import(this.resolve(String(specifier), parent)),
    });
  }

  /**
   * Imports the module at `url` and resolves with its namespace. With `integrity` (an SRI value such as
   * the `sha384-…` the host recorded), bytes that do not match are refused before they run
   * (INTEGRITY_MISMATCH). A bare specifier the map does not resolve rejects with UNMAPPED_IMPORT naming
   * the module that imports it; a cycle through rewritten modules with WORKER_IMPORT_CYCLE.
   */
  async import(url: string, integrity?: string): Promise<Record<string, unknown>> {
    if (integrity) {
      await verifyIntegrity(await this.#read(url), integrity, url);
      this.#pinned.add(url);
    }
    const prepared = await this.#prepare(url, []);
    return (this.#options.importUrl ?? ((target) => import(/* @vite-ignore */ target)))(prepared.runAt);
  }

  /** Where a specifier of the module at `parent` points: through the map when bare, else against `parent`. */
  resolve(specifier: string, parent: string): string {
    if (!isBare(specifier)) return new URL(specifier, parent).href;
    const imports = this.#options.imports;
    const exact = imports[specifier];
    if (exact !== undefined) return new URL(exact, parent).href;
    // The longest prefix entry wins, as in an import map.
    let best: string | undefined;
    for (const key of Object.keys(imports)) if (key.endsWith('/') && specifier.startsWith(key) && (!best || key.length > best.length)) best = key;
    if (best) return new URL(specifier.slice(best.length), new URL(imports[best]!, parent)).href;
    throw new PlugboardError({
      code: 'UNMAPPED_IMPORT',
      url: parent,
      problem: `the module imports "${specifier}", which the host's import map does not map`,
      hint: `Add it to the manifest's "imports", e.g. "imports": { "${specifier}": "https://…/${specifier}.js" }.`,
    });
  }

  #read(url: string): Promise<Uint8Array> {
    let pending = this.#bytes.get(url);
    if (!pending) {
      pending = this.#options.readBytes
        ? this.#options.readBytes(url)
        : fetch(url).then(async (response) => {
            if (!response.ok) {
              throw new PlugboardError({ code: 'FETCH_FAILED', stage: 'fetch', url, problem: `the server answered ${response.status} ${response.statusText}`.trim(), hint: 'Check that the module is served at this URL.' });
            }
            return new Uint8Array(await response.arrayBuffer());
          });
      this.#bytes.set(url, pending);
      pending.catch(() => this.#bytes.delete(url));
    }
    return pending;
  }

  #prepare(url: string, chain: readonly string[]): Promise<Prepared> {
    if (chain.includes(url)) {
      throw new PlugboardError({
        code: 'WORKER_IMPORT_CYCLE',
        url,
        problem: `the modules import each other in a cycle (${[...chain, url].join(' → ')}), and one of them has a bare specifier, so they cannot be rewritten for a Worker`,
        hint: 'Bundle the cycle into one module, or map its bare specifiers to full URLs in the source.',
      });
    }
    let pending = this.#prepared.get(url);
    if (!pending) {
      pending = this.#rewrite(url, [...chain, url]);
      this.#prepared.set(url, pending);
      pending.catch(() => this.#prepared.delete(url));
    }
    return pending;
  }

  async #rewrite(url: string, chain: readonly string[]): Promise<Prepared> {
    const source = new TextDecoder().decode(await this.#read(url));
    await init;
    let entries: ReturnType<typeof parse>[0];
    try {
      [entries] = parse(source, url);
    } catch (thrown) {
      throw new PlugboardError({ code: 'MODULE_SYNTAX', stage: 'lex', url, problem: `the module is not valid JavaScript module syntax: ${messageOf(thrown)}`, hint: 'Fix the module, or check that the URL serves JavaScript.' });
    }
    const places: UrlDependentPlace[] = [];
    let rewrite = this.#pinned.has(url);
    let lazy = false;
    const dependencies: Promise<void>[] = [];
    for (const entry of entries) {
      if (entry.t === IMPORT_META) {
        places.push({ kind: 'import-meta', start: entry.s, end: entry.e });
        continue;
      }
      if (entry.t === DYNAMIC_IMPORT) {
        // `import(…)` becomes a call into this importer, which fetches and prepares the module only when the
        // call runs: a plugin's rarely used parts (a tokenizer's model reader) cost nothing until used.
        places.push({ kind: 'text', start: entry.ss, end: entry.ss + 'import'.length, text: this.#hookName });
        rewrite = lazy = true;
        continue;
      }
      // Static imports, and the rarer `import.source(…)`/`import.defer(…)` of a string, are prepared before the module runs.
      const isStatic = STATIC_FORMS.has(entry.t);
      if ((!isStatic && !DYNAMIC_FORMS.has(entry.t)) || entry.n === undefined) continue;
      const specifier = entry.n;
      if (isBare(specifier)) rewrite = true;
      const place: UrlDependentPlace = isStatic ? { kind: 'specifier', start: entry.s - 1, end: entry.e + 1 } : { kind: 'specifier', start: entry.s, end: entry.e };
      places.push(place);
      const target = this.resolve(specifier, url);
      dependencies.push(
        this.#prepare(target, chain).then((prepared) => {
          place.specifier = prepared.runAt;
          if (prepared.runAt !== target) rewrite = true;
        }),
      );
    }
    await Promise.all(dependencies);
    if (!rewrite) return { runAt: url, source };
    const hook = lazy ? `\nfunction ${this.#hookName}(specifier) { return globalThis[Symbol.for(${JSON.stringify(this.#hookKey)})](specifier, ${JSON.stringify(url)}); }` : '';
    const relocated = relocateSource(source, url, places.sort((a, b) => a.start - b.start), hook);
    const toModuleUrl = this.#options.toModuleUrl ?? ((text: string) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
    return { runAt: toModuleUrl(relocated), source: relocated };
  }
}

/** Whether a specifier goes through the import map (neither relative, absolute-path nor a URL). */
function isBare(specifier: string): boolean {
  return !(specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(specifier));
}
