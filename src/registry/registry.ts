import { adapterFor, validateInstance, validatePlugin } from '../adapters/index.ts';
import { PlugboardError } from '../errors/index.ts';
import { isLoadedPlugin, type LoadedPlugin } from '../loader/index.ts';

export interface RegistryOptions {
  /** Receives a warning when a different object is registered under a taken name. Default: console.warn. */
  onWarning?: (warning: PlugboardError) => void;
}

/**
 * A named collection of plugins of one group. Invariants: names are case-sensitive and unique; the first
 * object registered under a name stays (the same object again is a no-op, a different one warns NAME_TAKEN);
 * every plugin in it was checked against the group's contract exactly once — by the loader's validate stage
 * for a plugin from a manifest (`add`), or by `register` for one registered by hand; listings are sorted.
 */
export class Registry<T = unknown> {
  /** The group (kind) this registry holds, e.g. `codex_ml.metrics`. */
  readonly group: string;
  #entries = new Map<string, T>();
  #onWarning: (warning: PlugboardError) => void;

  constructor(group: string, options: RegistryOptions = {}) {
    this.group = group;
    this.#onWarning = options.onWarning ?? ((warning) => console.warn(warning.message));
  }

  /**
   * Registers a plugin by hand under `name`, checked against the group's contract first (throws a
   * `PlugboardError` naming the group, the plugin and the field). Registering the same object again is a
   * no-op and returns true; a different object under a taken name warns NAME_TAKEN, keeps the first and
   * returns false. With the plugin left out, returns the decorator form: `register('accuracy')(fn)` registers
   * `fn` the same way and returns `fn` itself.
   */
  register(name: string): <P extends T>(plugin: P) => P;
  register(name: string, plugin: T): boolean;
  register(name: string, ...plugin: [] | [T]): boolean | (<P extends T>(plugin: P) => P) {
    if (plugin.length === 0) {
      return <P extends T>(decorated: P): P => {
        this.register(name, decorated);
        return decorated;
      };
    }
    const [value] = plugin;
    if (this.#entries.get(name) === value && this.#entries.has(name)) return true;
    const [problem] = validatePlugin(value, { group: this.group, name });
    if (problem) throw problem;
    return this.#insert(name, value as T);
  }

  /**
   * Registers what the loader's validate stage passed (the host pushes each loaded entry point here), without
   * checking it again; the same clash rule as `register` applies. Throws NOT_LOADED for a record the loader did
   * not make, and WRONG_GROUP for one of another group.
   */
  add(loaded: LoadedPlugin): boolean {
    if (!isLoadedPlugin(loaded)) {
      throw new PlugboardError({
        code: 'NOT_LOADED',
        stage: 'register',
        group: this.group,
        problem: 'add() takes only what the plugin loader hands back',
        hint: 'Register a plugin you hold yourself with register(name, plugin), which checks it first.',
      });
    }
    const { entry, plugin } = loaded;
    if (entry.group !== this.group) {
      throw new PlugboardError({
        code: 'WRONG_GROUP',
        stage: 'register',
        group: this.group,
        plugin: entry.name,
        url: entry.url,
        problem: `the plugin was loaded for group "${entry.group}", not "${this.group}"`,
        hint: `Add it to the registry of "${entry.group}".`,
      });
    }
    return this.#insert(entry.name, plugin as T, entry.url);
  }

  /** The one clash rule: the same object again is a no-op, a different one under a taken name warns and keeps the first. */
  #insert(name: string, value: T, url?: string): boolean {
    if (!this.#entries.has(name)) {
      this.#entries.set(name, value);
      return true;
    }
    if (this.#entries.get(name) === value) return true;
    this.#onWarning(
      new PlugboardError({
        code: 'NAME_TAKEN',
        stage: 'register',
        group: this.group,
        plugin: name,
        ...(url === undefined ? {} : { url }),
        problem: `"${name}" is already registered with a different object; the first one is kept`,
        hint: 'Register the plugin under another name, or unregister the first one.',
      }),
    );
    return false;
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

  /** Registered names, sorted (the same as `names()`: `registry.list()` → `['accuracy']`). */
  list(): string[] {
    return this.names();
  }

  /** `[name, plugin]` pairs, sorted by name. */
  entries(): Array<[string, T]> {
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
}
