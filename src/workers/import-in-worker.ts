import { init, parse } from 'es-module-lexer/minimal';
import { PlugboardError, messageOf } from '../errors/index.ts';
import { digest, fetchBytes, readThroughPageCache, relocateSource, toBase64, verifyImportedModule, verifyIntegrity, type UrlDependentPlace } from '../loader/index.ts';

/** How a module graph is fetched and rewritten for a Worker. */
export interface WorkerImportOptions {
  /** The host's import map: bare specifier (or prefix ending in `/`) → absolute URL. */
  imports: Readonly<Record<string, string>>;
  /**
   * Reads a module's bytes from the network; default `fetchBytes`. A failure where no server answered (see
   * `isUnreachable`) lets a pinned module's kept bytes answer instead (`readKept`).
   */
  readBytes?: (url: string) => Promise<Uint8Array>;
  /**
   * The bytes kept for a pinned module, read when no server answers for it, as the page reads them: default the
   * page's module cache (the Cache API is shared by a page and its Workers); undefined when none are kept.
   */
  readKept?: (url: string) => Promise<Uint8Array | undefined>;
  /** Makes a URL a module can be imported from; default a `blob:` URL. */
  toModuleUrl?: (source: string) => string;
  /** Imports a module URL; default `import()`. */
  importUrl?: (url: string) => Promise<Record<string, unknown>>;
}

/**
 * What the host recorded for a plugin a Worker imports: the digest its entry module's bytes must have and, for an
 * installed plugin, the pin of each module the entry imports (URL → `sha384-…`), with the plugin's group and
 * name for a refusal to name. A development plugin, or one loaded without install, has no module pins.
 */
export interface WorkerPins {
  /** The SRI value (`sha384-…`) the entry module's bytes must match. */
  integrity?: string;
  /** Each module the entry imports, statically or by `import()`, as recorded at install: URL → `sha384-…`. */
  modules?: Readonly<Record<string, string>>;
  /** The plugin's group, named in a refusal. */
  group?: string;
  /** The plugin's name, named in a refusal. */
  name?: string;
}

/** One pin a module's bytes must match: an entry's integrity or an imported module's recorded digest, and whose it is. */
interface Pin {
  integrity: string;
  entry: boolean;
  group?: string;
  name?: string;
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
 * module once, so every plugin shares one copy of each module (the SDK among them). A module the host pinned
 * (a plugin's entry, or a module an installed plugin imports) is checked against its pin when it is first
 * needed — before the entry runs for static imports, when the call runs for `import()` — and always runs from a
 * `blob:` of the checked bytes, never fetched again by its URL; when no server answers for it (the CDN is down,
 * the browser offline), its bytes come from the page's module cache, as in the page. A module no pin covers (an
 * `import()` of a computed specifier, the host's own modules) runs unchecked, as it does in the page.
 */
export class WorkerImporter {
  #options: WorkerImportOptions;
  #prepared = new Map<string, Promise<Prepared>>();
  #bytes = new Map<string, Promise<Uint8Array>>();
  /** Each pinned module's pins, URL → what its bytes must match; such a module runs from the checked bytes, never fetched again by URL. */
  #pins = new Map<string, Pin[]>();
  /** Each check of a module's bytes against one pin, by URL and pin, so a module is checked once per pin. */
  #checks = new Map<string, Promise<void>>();
  /** The static imports each module still being prepared waits for, URL → URLs: a cycle is a path back to the importer. */
  #waiting = new Map<string, Set<string>>();
  /** The cycles found, by the module whose preparation closes each one (its first module): each cycle's modules in order. */
  #cycles = new Map<string, string[][]>();
  /** Why each prepared module runs from a copy rather than by its URL; empty when it runs by its URL. */
  #copied = new Map<string, CopyReason[]>();

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
   * Imports the module at `url` and resolves with its namespace. With `pins` (the entry's SRI value such as the
   * `sha384-…` the host recorded, or a plugin's WorkerPins), bytes that do not match their pin are refused before
   * they run with INTEGRITY_MISMATCH naming the module's URL and the plugin, as the page refuses them; a module
   * pinned here stays pinned for every later import. A bare specifier the map does not resolve rejects with
   * UNMAPPED_IMPORT naming the module that imports it; a cycle of modules that all run by their URLs is linked by
   * the platform, and one through a module that runs from a copy rejects with WORKER_IMPORT_CYCLE saying why it is one.
   */
  async import(url: string, pins?: string | WorkerPins): Promise<Record<string, unknown>> {
    const given: WorkerPins = typeof pins === 'string' ? { integrity: pins } : (pins ?? {});
    const owner = { ...(given.group !== undefined ? { group: given.group } : {}), ...(given.name !== undefined ? { name: given.name } : {}) };
    if (given.integrity) this.#pin(url, { integrity: given.integrity, entry: true, ...owner });
    for (const [module, integrity] of Object.entries(given.modules ?? {})) this.#pin(module, { integrity, entry: false, ...owner });
    const prepared = await this.#prepare(url, undefined);
    return (this.#options.importUrl ?? ((target) => import(/* @vite-ignore */ target)))(prepared.runAt);
  }

  /**
   * The SHA-384 (`sha384-<base64>`) of the bytes this importer read for the module at `url` — what a run records
   * as the module that ran, as the page records a plugin's. Undefined when it has not read that module (never
   * imported here, or its read failed).
   */
  async digestOf(url: string): Promise<string | undefined> {
    const pending = this.#bytes.get(url);
    const bytes = pending ? await pending.catch(() => undefined) : undefined;
    if (!bytes) return undefined;
    return `sha384-${toBase64(new Uint8Array(await digest('SHA-384', bytes as BufferSource)))}`;
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

  /** Adds a pin a module's bytes must match; the same digest pinned again (a module two plugins share) is checked once. */
  #pin(url: string, pin: Pin): void {
    const pins = this.#pins.get(url) ?? [];
    if (pins.some((known) => known.integrity === pin.integrity)) return;
    pins.push(pin);
    this.#pins.set(url, pins);
  }

  /** Checks the module's bytes against each of its pins; rejects with the refusal the page gives, naming the plugin. */
  #check(url: string): Promise<unknown> {
    const pins = this.#pins.get(url);
    if (!pins) return Promise.resolve();
    return Promise.all(
      pins.map((pin) => {
        const key = `${url}\n${pin.integrity}`;
        let pending = this.#checks.get(key);
        if (!pending) {
          pending = this.#read(url).then(async (bytes) => {
            try {
              await (pin.entry ? verifyIntegrity(bytes, pin.integrity, url) : verifyImportedModule(bytes, pin.integrity, url));
            } catch (thrown) {
              throw stampOwner(thrown, pin);
            }
          });
          this.#checks.set(key, pending);
          pending.catch(() => this.#checks.delete(key));
        }
        return pending;
      }),
    );
  }

  /**
   * A module's bytes, read once per URL. A pinned module is read as the page reads it: from the network, else
   * (no server answered) the bytes the page kept at install, which `#check` then holds to the pin like any others.
   */
  #read(url: string): Promise<Uint8Array> {
    let pending = this.#bytes.get(url);
    if (!pending) {
      const network = () => (this.#options.readBytes ? this.#options.readBytes(url) : fetchBytes(url));
      pending = readThroughPageCache(url, this.#pins.get(url)?.[0]?.integrity, network, this.#options.readKept);
      this.#bytes.set(url, pending);
      pending.catch(() => this.#bytes.delete(url));
    }
    return pending;
  }

  /**
   * Prepares the module at `url`, which `importer` imports statically (none: an entry, or an `import()` that runs
   * now), once per URL. An import that closes a cycle — `url` is still being prepared and waits, through its own
   * imports, for `importer` — is given the module's own URL: the browser links a cycle of modules that all run by
   * their URLs itself, and the module that closes it refuses the cycle once it knows that one of them runs from a copy.
   */
  #prepare(url: string, importer: string | undefined): Promise<Prepared> {
    if (importer !== undefined) {
      const cycle = this.#pathBetween(url, importer);
      if (cycle) {
        this.#cycles.set(url, [...(this.#cycles.get(url) ?? []), cycle]);
        return Promise.resolve({ runAt: url, source: '' });
      }
      const waits = this.#waiting.get(importer) ?? new Set<string>();
      waits.add(url);
      this.#waiting.set(importer, waits);
    }
    const known = this.#prepared.get(url);
    // Pins given after the module was prepared (another plugin that shares it) are checked before it is handed out again.
    if (known) return this.#pins.has(url) ? this.#check(url).then(() => known) : known;
    const pending = this.#check(url)
      .then(() => this.#rewrite(url))
      .finally(() => {
        this.#waiting.delete(url);
        this.#cycles.delete(url);
      });
    this.#prepared.set(url, pending);
    pending.catch(() => this.#prepared.delete(url));
    return pending;
  }

  /** The modules from `from` to `to` along the imports still being prepared (`[from]` when they are one), if `from` waits for `to`. */
  #pathBetween(from: string, to: string): string[] | undefined {
    const seen = new Set<string>();
    const walk = (at: string): string[] | undefined => {
      if (at === to) return [at];
      if (seen.has(at)) return undefined;
      seen.add(at);
      for (const next of this.#waiting.get(at) ?? []) {
        const rest = walk(next);
        if (rest) return [at, ...rest];
      }
      return undefined;
    };
    return walk(from);
  }

  /**
   * Refuses the cycles `url` closes when one of their modules runs from a copy: a `blob:` copy's URL exists only
   * once its text is complete, and that text must name the next copy's URL, so copies cannot import each other
   * in a cycle (a page maps URLs to copies with its import map; a Worker has none).
   */
  async #checkCycles(url: string, runAt: string): Promise<void> {
    for (const cycle of this.#cycles.get(url) ?? []) {
      const copies: Array<{ module: string; reasons: CopyReason[] }> = [];
      for (const module of cycle) {
        const runsAt = module === url ? runAt : (await this.#prepared.get(module))?.runAt;
        if (runsAt !== module) copies.push({ module, reasons: this.#copied.get(module) ?? [] });
      }
      if (copies.length === 0) continue;
      // A module's own reason comes first (a copied import is found last), and the first module's picks the hint.
      const first = copies[0]!.reasons[0];
      throw new PlugboardError({
        code: 'WORKER_IMPORT_CYCLE',
        url,
        problem:
          `the modules import each other in a cycle (${[...cycle, url].join(' → ')}), and ${copies.map(({ module, reasons }) => `${module} ${reasons[0] ? describeCopyReason(reasons[0]) : 'runs from a copy'}`).join('; ')}: ` +
          `${copies.length === 1 ? 'it runs' : 'they run'} in the Worker from blob: copies, which cannot import each other in a cycle (a copy has a URL only once its text, which names the next copy's URL, is complete)`,
        hint: CYCLE_HINTS[first?.kind ?? 'bare'],
      });
    }
  }

  async #rewrite(url: string): Promise<Prepared> {
    const source = new TextDecoder().decode(await this.#read(url));
    await init;
    let entries: ReturnType<typeof parse>[0];
    try {
      [entries] = parse(source, url);
    } catch (thrown) {
      throw new PlugboardError({ code: 'MODULE_SYNTAX', stage: 'lex', url, problem: `the module is not valid JavaScript module syntax: ${messageOf(thrown)}`, hint: 'Fix the module, or check that the URL serves JavaScript.' });
    }
    const places: UrlDependentPlace[] = [];
    // A pinned module runs from a copy of the bytes that were checked: by its URL the Worker would fetch it again.
    const reasons: CopyReason[] = this.#pins.has(url) ? [{ kind: 'pinned' }] : [];
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
        if (!lazy) reasons.push({ kind: 'dynamic' });
        lazy = true;
        continue;
      }
      // Static imports, and the rarer `import.source(…)`/`import.defer(…)` of a string, are prepared before the module runs.
      const isStatic = STATIC_FORMS.has(entry.t);
      if ((!isStatic && !DYNAMIC_FORMS.has(entry.t)) || entry.n === undefined) continue;
      const specifier = entry.n;
      if (isBare(specifier)) reasons.push({ kind: 'bare', specifier });
      const place: UrlDependentPlace = isStatic ? { kind: 'specifier', start: entry.s - 1, end: entry.e + 1 } : { kind: 'specifier', start: entry.s, end: entry.e };
      places.push(place);
      const target = this.resolve(specifier, url);
      dependencies.push(
        this.#prepare(target, url).then((prepared) => {
          place.specifier = prepared.runAt;
          if (prepared.runAt !== target) reasons.push({ kind: 'copied-import', target });
        }),
      );
    }
    await Promise.all(dependencies);
    this.#copied.set(url, reasons);
    if (reasons.length === 0) {
      await this.#checkCycles(url, url);
      return { runAt: url, source };
    }
    const hook = lazy ? `\nfunction ${this.#hookName}(specifier) { return globalThis[Symbol.for(${JSON.stringify(this.#hookKey)})](specifier, ${JSON.stringify(url)}); }` : '';
    const relocated = relocateSource(source, url, places.sort((a, b) => a.start - b.start), hook);
    const toModuleUrl = this.#options.toModuleUrl ?? ((text: string) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
    await this.#checkCycles(url, '');
    return { runAt: toModuleUrl(relocated), source: relocated };
  }
}

/** Why a module runs from a copy in a Worker rather than by its URL. */
type CopyReason = { kind: 'pinned' } | { kind: 'bare'; specifier: string } | { kind: 'dynamic' } | { kind: 'copied-import'; target: string };

function describeCopyReason(reason: CopyReason): string {
  switch (reason.kind) {
    case 'pinned':
      return 'is pinned (it runs from a copy of its checked bytes, never fetched again by its URL)';
    case 'bare':
      return `has the bare specifier "${reason.specifier}" (it runs from a copy with it resolved)`;
    case 'dynamic':
      return 'calls import() (it runs from a copy whose import() calls the Worker\'s importer)';
    case 'copied-import':
      return `imports ${reason.target}, which runs from a copy`;
  }
}

/** What to do about a cycle in a Worker, by why its first copied module is a copy. */
const CYCLE_HINTS: Record<CopyReason['kind'], string> = {
  pinned: 'A Worker has no import map, so it runs a pinned module only from a copy of its checked bytes: bundle the cycle into one module, or score without Workers (workers: 0).',
  bare: 'Bundle the cycle into one module, or map its bare specifiers to full URLs in the source.',
  dynamic: 'Bundle the cycle into one module, or move its import() calls to a module outside the cycle.',
  'copied-import': 'Bundle the cycle into one module, or keep what makes that module a copy (a bare specifier, import(), a pin) out of what the cycle imports.',
};

/** The refusal with the plugin whose pin it was named, as the page names the plugin it was loading. */
function stampOwner(thrown: unknown, pin: Pin): unknown {
  if (!(thrown instanceof PlugboardError) || (pin.group === undefined && pin.name === undefined)) return thrown;
  return new PlugboardError({
    code: thrown.code,
    problem: thrown.problem,
    ...(pin.group !== undefined ? { group: pin.group } : {}),
    ...(pin.name !== undefined ? { plugin: pin.name } : {}),
    ...(thrown.url !== undefined ? { url: thrown.url } : {}),
    ...(thrown.stage !== undefined ? { stage: thrown.stage } : {}),
    ...(thrown.hint !== undefined ? { hint: thrown.hint } : {}),
    ...(thrown.cause !== undefined ? { cause: thrown.cause } : {}),
  });
}

/** Whether a specifier goes through the import map (neither relative, absolute-path nor a URL). */
function isBare(specifier: string): boolean {
  return !(specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(specifier));
}
