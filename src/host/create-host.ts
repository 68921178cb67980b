import builtin from 'virtual:plugboard/builtin-manifest';
import sdkUrl from 'virtual:plugboard/sdk-url';
import bundledPackages from './bundled-packages.ts';
import { PlugboardError, warningOf } from '../errors/index.ts';
import {
  defaultEnvironment,
  checkImportTargets,
  importMapConflictError,
  originOf,
  PluginLoader,
  toLoadErrors,
  type LoadOptions,
  type LoaderEnvironment,
  type LoadError,
  type LoadReport,
} from '../loader/index.ts';
import { checkManifest, layerManifests, manifestUrlOf, readManifest, type EntryPoint, type ManifestSource, type ParsedManifest } from '../manifest/index.ts';
import { Registry } from '../registry/index.ts';
import { SDK } from '../sdk/index.ts';
import type { ArtifactRepository } from '../artifacts/types.ts';
import type { ModelRegistryStore } from '../model-registry/types.ts';
import type { FluentTracking } from '../tracking/fluent.ts';
import type { TrackingStore } from '../tracking/types.ts';
import type { RunCopy, RunCopyProgress } from '../tracking/copy-run.ts';
import { evaluate, prepareEvaluation, moduleGraphOf, type EvaluationRequest, type EvaluationResult, type PluginProvenance, type WorkerScorer } from '../evaluation/index.ts';
import { HostStores } from './host-stores.ts';
import { memoryInstalledPlugins, PluginManager, PLUGINS_CHANGED, userManifest, type InstalledPlugin, type InstalledPluginStore } from '../lifecycle/index.ts';

/** How long a plugin may take to load (fetch, checks and import) unless `importTimeoutMs` says otherwise. */
const DEFAULT_IMPORT_TIMEOUT_MS = 10_000;

export type { ManifestSource };

export interface HostOptions {
  /** Manifests in priority order: on the same group and name, the first wins. */
  manifests?: readonly ManifestSource[];
  /** Whether the built-in manifest is layered last (default true). */
  builtins?: boolean;
  /**
   * Origins plugins may be loaded from: `'self'` and origins such as `https://cdn.example`. Default:
   * `'self'` plus the origin of every manifest given. The built-in plugins' origin is always allowed.
   */
  allowedOrigins?: readonly string[];
  /** A plugin module that has not settled after this many milliseconds fails with stage `timeout` (default 10 000). */
  importTimeoutMs?: number;
  /** Receives each warning (shadowed entries, name clashes). Default: console.warn. */
  onWarning?: (warning: PlugboardError) => void;
  /**
   * Where the loader runs; the default fits the current runtime. A seam for Plugboard's own tests (they read
   * TypeScript sources through it), left out of the published types.
   * @internal
   */
  environment?: LoaderEnvironment;
  /**
   * Node only: where modules fetched over http(s) are kept on disk, keyed by URL and digest, so a re-run works
   * offline; `false` keeps nothing. Default `$XDG_CACHE_HOME/plugboard`, else `~/.cache/plugboard`.
   */
  cacheFolder?: string | false;
  /** Scores `evaluate` requests with `workers` > 0 in Workers (`plugboard/worker`'s createWorkerScorer); without it they score in this thread. */
  scoreInWorkers?: WorkerScorer;
  /**
   * Where the plugins a person installs are kept (`idbInstalledPlugins()` keeps them in IndexedDB across
   * reloads). Default: in memory, for as long as the host lives. Installed plugins are layered above every manifest.
   */
  installedPlugins?: InstalledPluginStore;
}

/** The plugin host: discovery over layered manifests, lazy validated loading, one registry per group. */
export interface Host {
  /** Install, enable, disable, upgrade and uninstall plugins at run time; fires `pb-plugins-changed`. */
  readonly plugins: PluginManager;
  /** Every group any manifest declares, sorted. */
  groups(): string[];
  /** The entry points of a group, sorted by name; runs no plugin code. An unknown group has none. */
  discover(group: string): EntryPoint[];
  /**
   * Loads, validates and registers one plugin (lazily, once; concurrent calls share one import) and resolves
   * with what the group's registry holds under the name: the first object, with a NAME_TAKEN warning, when a
   * different one was registered there before. Throws a PlugboardError with the failing `stage`.
   */
  load<T = unknown>(group: string, name: string, options?: LoadOptions): Promise<T>;
  /**
   * Loads every entry point of a group in parallel; one failure never stops the others. Always settles: each
   * load ends within `importTimeoutMs`, or when `options.signal` aborts.
   */
  loadGroup(group: string, options?: LoadOptions): Promise<LoadReport>;
  /**
   * Loads every entry point of a group into its registry, as Python's `load_from_entry_points(group,
   * require_api)`: resolves with how many are registered and one LoadError per failure (never rejects).
   */
  loadFromEntryPoints(group: string, options?: { requireApi?: string }): Promise<{ count: number; errors: LoadError[] }>;
  /**
   * Which code a loaded plugin is: its entry point's URL, the version its manifest declares, the SHA-384 of
   * the module bytes that ran, and every module the entry imports with its URL and SHA-384 (see
   * `moduleGraphOf`). Undefined for a name no manifest declares; no digests before its load.
   */
  provenance(group: string, name: string): Promise<PluginProvenance | undefined>;
  /**
   * One call from data to scores: loads the data loader (chosen from the file name unless named) and the
   * metrics, streams the source into them — in Workers when `workers` > 0 and the host was given
   * `scoreInWorkers` — and resolves with the scores, row and skip counts, and each plugin's provenance;
   * with `log`, keeps the evaluation as a run. Rejects with a PlugboardError naming the plugin, or the
   * record's place and field, or with the signal's reason when aborted.
   */
  evaluate(request: EvaluationRequest): Promise<EvaluationResult>;
  /**
   * Readies an evaluation before it is asked for (while a person picks columns and metrics): loads its
   * loader and metrics, and starts `workers` Workers that import them, so `evaluate` starts reading at once.
   * Resolves when ready; never rejects (a failure is reported by `evaluate`).
   */
  prepareEvaluation(request: Pick<EvaluationRequest, 'source' | 'sourceName' | 'loader' | 'metrics' | 'workers'>): Promise<void>;
  /** The import map in force for plugins (the manifests' `imports` and the SDK), for places without one such as Workers. */
  imports(): Record<string, string>;
  /** The registry of a group, filled by loads (created empty on first use). */
  registry<T = unknown>(group: string): Registry<T>;
  /** Every LoadError so far, manifest problems included, oldest first. */
  report(): LoadError[];
  /** Every warning so far. */
  warnings(): PlugboardError[];
  /** The manifests that were read, in priority order. */
  manifests(): ParsedManifest[];
  /**
   * The tracking store of a URI, chosen by scheme as MLflow chooses one: `idb:` (default; database
   * `plugboard`), `idb://name`, or any scheme a manifest declares in `mlflow.tracking_store`. One store per
   * URI. An unknown scheme rejects with UNKNOWN_STORE_SCHEME listing the known ones.
   */
  trackingStore(uri?: string): Promise<TrackingStore>;
  /** The artifact repository rooted at an artifact URI (a run's `info.artifactUri`), chosen by scheme. */
  artifactRepository(uri: string): Promise<ArtifactRepository>;
  /** The model registry of a URI (default `idb:`), chosen by scheme. */
  modelRegistry(uri?: string): Promise<ModelRegistryStore>;
  /**
   * MLflow's fluent API over a tracking store: `startRun` (tags of every run context provider in context
   * merged in, explicit tags last), `logMetric(s)`, `logParam(s)`, `setTag(s)`, `logArtifact`, `endRun`.
   */
  tracking(options?: { uri?: string; defaultExperimentId?: string }): FluentTracking;
  /**
   * Copies a run between tracking stores (`from` and `to` are tracking URIs, default `idb:`): params, tags, every
   * metric's full history, dataset inputs and artifacts, into `experimentId` or the experiment of the same name;
   * `onProgress` hears each stage (and each metric key and artifact) as it starts.
   */
  copyRun(options: { runId: string; from?: string; to?: string; experimentId?: string; onProgress?: (progress: RunCopyProgress) => void }): Promise<RunCopy>;
}

/** Creates a host: reads the manifests (a bad one is reported, never thrown), puts their import maps in force, and returns. */
export async function createHost(options: HostOptions = {}): Promise<Host> {
  const environment =
    options.environment ??
    defaultEnvironment({
      ...(options.cacheFolder !== undefined ? { cacheFolder: options.cacheFolder } : {}),
      dependencyTimeoutMs: options.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS,
    });
  const errors: LoadError[] = [];
  const warnings: PlugboardError[] = [];
  const warn = (warning: PlugboardError) => {
    warnings.push(warning);
    (options.onWarning ?? ((w: PlugboardError) => console.warn(w.message)))(warning);
  };

  const sources = [...(options.manifests ?? [])];
  const read = await Promise.all(sources.map((source) => readManifest(source, environment)));
  const manifests: ParsedManifest[] = [];
  for (const [index, outcome] of read.entries()) {
    if ('manifest' in outcome) manifests.push(outcome.manifest);
    else errors.push(...outcome.problems.flatMap((problem) => toLoadErrors(problem, manifestWhere(manifestUrlOf(sources[index]!, environment.baseUrl)), 'manifest')));
  }
  if (options.builtins !== false) {
    // The npm plugin packages an app's build ships come after the given manifests, before the built-in one.
    for (const bundled of bundledPackages) {
      const check = checkManifest(bundled.json, bundled.url);
      if (check.ok) manifests.push(check.manifest);
      else errors.push(...check.problems.flatMap((problem) => toLoadErrors(problem, manifestWhere(bundled.url), 'manifest')));
    }
    const check = checkManifest(builtin.json, builtin.url);
    if (check.ok) manifests.push(check.manifest);
    else errors.push(...check.problems.flatMap((problem) => toLoadErrors(problem, manifestWhere(builtin.url), 'manifest')));
  }

  const installedStore = options.installedPlugins ?? memoryInstalledPlugins();
  let installed: InstalledPlugin[] = [];
  try {
    const kept = await installedStore.read();
    installed = kept.plugins;
    errors.push(...kept.problems.flatMap((problem) => toLoadErrors(problem, { group: problem.group ?? '', plugin: problem.plugin ?? '', url: '' }, 'manifest')));
  } catch (thrown) {
    errors.push(...toLoadErrors(thrown, manifestWhere(''), 'manifest'));
  }
  // The installed plugins come first; what the other manifests give shows again when one is removed.
  const base = layerManifests(manifests);
  const layered = installed.length > 0 ? layerManifests([userManifest(installed), ...manifests]) : base;
  layered.warnings.forEach(warn);

  const allowed = new Set<string>();
  for (const origin of options.allowedOrigins ?? ['self', ...sources.map((source) => manifestUrlOf(source, environment.baseUrl))]) {
    allowed.add(origin === 'self' ? environment.selfOrigin : safeOrigin(origin));
  }
  if (options.builtins !== false) allowed.add(originOf(builtin.url));
  // A person confirmed these origins when installing from them.
  for (const plugin of installed) for (const url of [plugin.url, ...Object.values(plugin.imports ?? {}), ...Object.keys(plugin.modules ?? {})]) allowed.add(safeOrigin(url));

  const targets = checkImportTargets(layered.imports, allowed);
  for (const problem of targets.problems) errors.push(...toLoadErrors(problem, manifestWhere(problem.url!), 'manifest'));
  const imports = { ...targets.allowed, [SDK.name]: sdkUrl };
  for (const conflict of await environment.mapImports(imports)) {
    errors.push(...toLoadErrors(importMapConflictError(conflict), manifestWhere(conflict.wanted), 'manifest'));
  }

  const loader = new PluginLoader({
    environment,
    allowedOrigins: allowed,
    importTimeoutMs: options.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS,
  });
  const builtinUrl = options.builtins === false ? undefined : builtin.url;
  return new PluginHost(layered.entryPoints, manifests, loader, errors, warnings, warn, builtinUrl, options.scoreInWorkers, imports, {
    // A copy when nothing is installed: the manager changes the entry points in force, never the base.
    base: layered === base ? new Map([...base.entryPoints].map(([group, entries]) => [group, new Map(entries)])) : base.entryPoints,
    environment,
    allowedOrigins: allowed,
    store: installedStore,
    installed,
  });
}

class PluginHost implements Host {
  #entryPoints: Map<string, Map<string, EntryPoint>>;
  /** Each group's entry points sorted by name, once per change (only the plugin manager changes them). */
  #discovered = new Map<string, EntryPoint[]>();
  #manifests: ParsedManifest[];
  #loader: PluginLoader;
  #errors: LoadError[];
  #warnings: PlugboardError[];
  #warn: (warning: PlugboardError) => void;
  #registries = new Map<string, Registry<unknown>>();
  #loads = new Map<string, Promise<unknown>>();
  #stores: HostStores;
  #scoreInWorkers: WorkerScorer | undefined;
  /** The entry points of the host's manifests alone, without the installed plugins layered above them. */
  #base: Map<string, Map<string, EntryPoint>>;
  readonly plugins: PluginManager;
  #imports: Record<string, string>;

  constructor(
    entryPoints: Map<string, Map<string, EntryPoint>>,
    manifests: ParsedManifest[],
    loader: PluginLoader,
    errors: LoadError[],
    warnings: PlugboardError[],
    warn: (warning: PlugboardError) => void,
    builtinUrl: string | undefined,
    scoreInWorkers: WorkerScorer | undefined,
    imports: Record<string, string>,
    lifecycle: {
      base: Map<string, Map<string, EntryPoint>>;
      environment: LoaderEnvironment;
      allowedOrigins: Set<string>;
      store: InstalledPluginStore;
      installed: InstalledPlugin[];
    },
  ) {
    this.#scoreInWorkers = scoreInWorkers;
    this.#imports = imports;
    this.#entryPoints = entryPoints;
    this.#manifests = manifests;
    this.#loader = loader;
    this.#errors = errors;
    this.#warnings = warnings;
    this.#warn = warn;
    this.#stores = new HostStores({
      discover: (group) => this.discover(group),
      load: (group, name) => this.load(group, name),
      registry: (group) => this.registry(group),
      isBuiltin: (entry) => entry.source === builtinUrl,
      warn,
    });
    this.#base = lifecycle.base;
    this.plugins = new PluginManager(
      {
        loader,
        environment: lifecycle.environment,
        allowedOrigins: lifecycle.allowedOrigins,
        groups: () => this.groups(),
        discover: (group) => this.discover(group),
        load: (group, name) => this.load(group, name),
        baseEntry: (group, name) => this.#base.get(group)?.get(name),
        setEntry: (group, name, entry) => this.#setEntry(group, name, entry),
        isLoaded: (group, name) => this.#registries.get(group)?.has(name) ?? false,
        lastError: (group, name, url) => this.#errors.findLast((error) => error.group === group && error.plugin === name && error.url === url),
        mapImports: async (imports) => {
          for (const conflict of await lifecycle.environment.mapImports(imports)) {
            warn(
              warningOf({
                code: 'IMPORT_MAP_CONFLICT',
                url: conflict.wanted,
                problem: `import map entry "${conflict.specifier}" → ${conflict.wanted} is not in force: it is already mapped to ${conflict.actual ?? 'nothing'}`,
                hint: 'Plugins importing this specifier get the module mapped first; reload the page to put the new mapping in force.',
              }),
            );
          }
        },
        warn,
      },
      lifecycle.store,
      lifecycle.installed,
    );
  }

  /** Tells the plugin manager's listeners that a plugin loaded or failed to (its status changed). */
  #changed(entry: EntryPoint): void {
    this.plugins.dispatchEvent(new CustomEvent(PLUGINS_CHANGED, { detail: { action: 'load', plugins: [{ group: entry.group, name: entry.name }] } }));
  }

  /** Puts `entry` in force under group and name, or nothing; the earlier load and registry entry are forgotten. */
  #setEntry(group: string, name: string, entry: EntryPoint | undefined): void {
    let entries = this.#entryPoints.get(group);
    if (entry) {
      if (!entries) this.#entryPoints.set(group, (entries = new Map()));
      entries.set(name, entry);
    } else if (entries) {
      entries.delete(name);
      if (entries.size === 0) this.#entryPoints.delete(group);
    }
    this.#discovered.delete(group);
    for (const key of [...this.#loads.keys()]) if (key.startsWith(`${group}\u0000${name}\u0000`)) this.#loads.delete(key);
    this.#registries.get(group)?.unregister(name);
  }

  trackingStore(uri?: string): Promise<TrackingStore> {
    return this.#stores.trackingStore(uri);
  }

  artifactRepository(uri: string): Promise<ArtifactRepository> {
    return this.#stores.artifactRepository(uri);
  }

  modelRegistry(uri?: string): Promise<ModelRegistryStore> {
    return this.#stores.modelRegistry(uri);
  }

  tracking(options: { uri?: string; defaultExperimentId?: string } = {}): FluentTracking {
    return this.#stores.tracking(options);
  }

  copyRun(options: { runId: string; from?: string; to?: string; experimentId?: string; onProgress?: (progress: RunCopyProgress) => void }): Promise<RunCopy> {
    return this.#stores.copyRun(options);
  }

  async provenance(group: string, name: string): Promise<PluginProvenance | undefined> {
    const entry = this.#entryPoints.get(group)?.get(name);
    if (!entry) return undefined;
    const sha384 = await this.#loader.digestOf(entry.url);
    if (!sha384) return { group, name, url: entry.url, ...(entry.version !== undefined ? { version: entry.version } : {}) };
    const modules = await moduleGraphOf(entry.url, { inspect: (url) => this.#loader.inspect(url), imports: this.#imports, pluginAt: (url) => this.#pluginAt(url) });
    return { group, name, url: entry.url, ...(entry.version !== undefined ? { version: entry.version } : {}), sha384, modules };
  }

  /** The plugin (`group/name`) whose entry module is at `url`, if any. */
  #pluginAt(url: string): string | undefined {
    for (const [group, entries] of this.#entryPoints) for (const entry of entries.values()) if (entry.url === url) return `${group}/${entry.name}`;
    return undefined;
  }

  evaluate(request: EvaluationRequest): Promise<EvaluationResult> {
    return evaluate(this, request, this.#scoreInWorkers);
  }

  prepareEvaluation(request: Pick<EvaluationRequest, 'source' | 'sourceName' | 'loader' | 'metrics' | 'workers'>): Promise<void> {
    return prepareEvaluation(this, request, this.#scoreInWorkers);
  }

  imports(): Record<string, string> {
    return { ...this.#imports };
  }

  groups(): string[] {
    return [...this.#entryPoints.keys()].sort();
  }

  discover(group: string): EntryPoint[] {
    let sorted = this.#discovered.get(group);
    if (!sorted) {
      const entries = this.#entryPoints.get(group);
      if (!entries) return [];
      sorted = [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.#discovered.set(group, sorted);
    }
    return sorted.slice();
  }

  registry<T = unknown>(group: string): Registry<T> {
    let registry = this.#registries.get(group);
    if (!registry) {
      registry = new Registry(group, { onWarning: this.#warn });
      this.#registries.set(group, registry);
    }
    return registry as Registry<T>;
  }

  async load<T = unknown>(group: string, name: string, options: LoadOptions = {}): Promise<T> {
    const entry = this.#entryPoints.get(group)?.get(name);
    if (!entry) {
      const registry = this.#registries.get(group);
      if (registry?.has(name)) return registry.get(name) as T;
      const disabled = this.plugins.disabledError(group, name);
      if (disabled) throw disabled;
      const known = this.discover(group).map((e) => e.name);
      throw new PlugboardError({
        code: 'UNKNOWN_ENTRY_POINT',
        group,
        plugin: name,
        problem: `no manifest declares "${name}" in group "${group}"`,
        hint: known.length ? `Declared in this group: ${known.join(', ')}.` : `No manifest declares group "${group}"; groups: ${this.groups().join(', ') || 'none'}.`,
      });
    }
    return (await this.#loadInto(entry, options)) as T;
  }

  async loadGroup(group: string, options: LoadOptions = {}): Promise<LoadReport> {
    return this.#loadAll(group, options);
  }

  async loadFromEntryPoints(group: string, options: { requireApi?: string } = {}): Promise<{ count: number; errors: LoadError[] }> {
    const { errors, loaded } = await this.#loadAll(group, options);
    return { count: loaded.length, errors };
  }

  report(): LoadError[] {
    return [...this.#errors];
  }

  warnings(): PlugboardError[] {
    return [...this.#warnings];
  }

  manifests(): ParsedManifest[] {
    return [...this.#manifests];
  }

  async #loadAll(group: string, options: LoadOptions): Promise<LoadReport> {
    const entries = this.discover(group);
    // All at once: the browser fetches and links the modules in parallel.
    const outcomes = await Promise.allSettled(entries.map((entry) => this.#loadInto(entry, options)));
    const loaded: string[] = [];
    const errors: LoadError[] = [];
    outcomes.forEach((outcome, index) => {
      const entry = entries[index]!;
      if (outcome.status === 'fulfilled') loaded.push(entry.name);
      else errors.push(...toLoadErrors(outcome.reason, { group, plugin: entry.name, url: entry.url }, 'import'));
    });
    return { loaded, errors };
  }

  /**
   * One way: the loader fetches, checks and validates the entry point, and the host hands its record to the
   * group's registry, which applies its one clash rule. Resolves with what the registry holds under the name
   * (the first object when another was registered there before).
   */
  #loadInto(entry: EntryPoint, options: LoadOptions): Promise<unknown> {
    const key = `${entry.group}\u0000${entry.name}\u0000${options.requireApi ?? ''}`;
    // A load with its caller's signal is its own (the loader still shares the fetch and the import), so
    // aborting it stops no one else's.
    let pending = options.signal ? undefined : this.#loads.get(key);
    if (!pending) {
      pending = this.#loader.loadPlugin(entry, options).then((loaded) => {
        // Put out of force while it loaded (disabled, uninstalled, upgraded): not registered.
        if (this.#entryPoints.get(entry.group)?.get(entry.name) !== entry) return loaded.plugin;
        const registry = this.registry(entry.group);
        registry.add(loaded);
        this.#changed(entry);
        return registry.get(entry.name);
      });
      if (!options.signal) this.#loads.set(key, pending);
      const settled = pending;
      pending.catch((thrown: unknown) => {
        if (this.#loads.get(key) === settled) this.#loads.delete(key);
        this.#errors.push(...toLoadErrors(thrown, { group: entry.group, plugin: entry.name, url: entry.url }, 'import'));
      });
    }
    return pending;
  }
}

/** Where a problem of a manifest as a whole sits: no group or plugin, the manifest's URL. */
function manifestWhere(url: string): { group: string; plugin: string; url: string } {
  return { group: '', plugin: '', url };
}

function safeOrigin(origin: string): string {
  try {
    return originOf(origin);
  } catch {
    return origin;
  }
}
