import { adapterFor, validateInstance, validatePlugin } from '../adapters/index.ts';
import { PlugboardError } from '../errors/index.ts';

/** The outcome of filling a registry from entry points. */
export interface EntryPointLoadResult {
  /** How many entry points are now registered. */
  count: number;
  errors: import('../loader/load-error.ts').LoadError[];
}

/** Where a registry pulls entry points from (the host). */
export interface EntryPointSource {
  loadEntryPointsInto(registry: Registry<unknown>, group: string, options: { requireApi?: string }): Promise<EntryPointLoadResult>;
}

export interface RegistryOptions {
  /** Receives a warning when a different object is registered under a taken name. Default: console.warn. */
  onWarning?: (warning: PlugboardError) => void;
  /** Fills the registry from entry points; set by the host. */
  source?: EntryPointSource;
}

/**
 * A named collection of plugins of one group. Invariants: names are case-sensitive and unique; the first
 * object registered under a name stays; listings are sorted.
 */
export class Registry<T = unknown> {
  /** The group (kind) this registry holds, e.g. `codex_ml.metrics`. */
  readonly group: string;
  #entries = new Map<string, T>();
  #onWarning: (warning: PlugboardError) => void;
  #source: EntryPointSource | undefined;

  constructor(group: string, options: RegistryOptions = {}) {
    this.group = group;
    this.#onWarning = options.onWarning ?? ((warning) => console.warn(warning.message));
    this.#source = options.source;
  }

  /**
   * Registers `value` under `name`, checked against the group's contract first (throws a
   * `PlugboardError` naming the group, the plugin and the field). Registering the same object again is a
   * no-op; a different object under a taken name warns, keeps the first and returns false.
   */
  register(name: string, value: T): boolean {
    const existing = this.#entries.get(name);
    if (existing === value && this.#entries.has(name)) return true;
    const [problem] = validatePlugin(value, { group: this.group, name });
    if (problem) throw problem;
    if (this.#entries.has(name)) {
      this.#onWarning(
        new PlugboardError({
          code: 'NAME_TAKEN',
          stage: 'register',
          group: this.group,
          plugin: name,
          problem: `"${name}" is already registered with a different object; the first one is kept`,
          hint: 'Register the plugin under another name, or unregister the first one.',
        }),
      );
      return false;
    }
    this.#entries.set(name, value);
    return true;
  }

  /** Removes a plugin; returns whether it was there. */
  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  /** Whether a plugin is registered under exactly this name. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Returns the plugin under `name`; throws `UNKNOWN_PLUGIN` listing the registered names if there is none. */
  get(name: string): T {
    if (this.#entries.has(name)) return this.#entries.get(name) as T;
    const known = this.names();
    throw new PlugboardError({
      code: 'UNKNOWN_PLUGIN',
      group: this.group,
      plugin: name,
      problem: `no plugin named "${name}" is registered`,
      hint: known.length ? `Registered: ${known.join(', ')}.` : 'Nothing is registered in this group yet.',
    });
  }

  /** How many plugins are registered. */
  get size(): number {
    return this.#entries.size;
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** `[name, plugin]` pairs, sorted by name. */
  list(): Array<[string, T]> {
    return this.names().map((name) => [name, this.#entries.get(name) as T]);
  }

  /**
   * Returns the plugin ready to use: a factory (tokenizers, models, stores, and any function in a custom
   * group) is called with `options` and what it returns is checked against the group's contract;
   * anything else is returned as it is.
   */
  async resolveAndInstantiate(name: string, options: Record<string, unknown> = {}): Promise<unknown> {
    const plugin = this.get(name);
    const adapter = adapterFor(this.group);
    const isFactory = adapter ? adapter.isFactory : typeof plugin === 'function';
    if (!isFactory || typeof plugin !== 'function') return plugin;
    let instance: unknown;
    try {
      instance = await (plugin as (options: unknown) => unknown)(options);
    } catch (cause) {
      throw new PlugboardError({
        code: 'FACTORY_FAILED',
        group: this.group,
        plugin: name,
        problem: `the factory threw: ${cause instanceof Error ? cause.message : String(cause)}`,
        hint: 'Check the options passed to the factory.',
        cause,
      });
    }
    const [problem] = validateInstance(instance, { group: this.group, name });
    if (problem) throw problem;
    return instance;
  }

  /**
   * Loads every entry point of `group` (this registry's own group unless told otherwise) from the host's
   * manifests and registers them. With `requireApi`, a plugin declaring another API version is refused.
   * One bad plugin never stops the others: its failure is in `errors`.
   */
  async loadFromEntryPoints(group: string = this.group, options: { requireApi?: string } = {}): Promise<EntryPointLoadResult> {
    if (!this.#source) {
      throw new PlugboardError({
        code: 'NO_ENTRY_POINTS',
        group: this.group,
        problem: 'this registry is not attached to a host, so it has no entry points to load',
        hint: 'Use host.registry(group) to get a registry filled from the manifests.',
      });
    }
    return this.#source.loadEntryPointsInto(this as Registry<unknown>, group, options);
  }
}
