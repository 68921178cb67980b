import { PlugboardError, warningOf } from '../errors/index.ts';
import { originOf, verifyIntegrity, type LoadError, type LoaderEnvironment, type PluginLoader } from '../loader/index.ts';
import { readCatalog, searchCatalogs, type CatalogMatch, type CatalogVersion } from '../catalog/index.ts';
import { checkHostRange, readManifest, type EntryPoint } from '../manifest/index.ts';
import { entryPointOf, InstalledPluginsFileSchema, type InstalledPlugin, type InstalledPluginsFile } from './installed-plugin.ts';
import type { InstalledPluginStore } from './installed-plugin-store.ts';
import { bundledModule, checkedBundleBytes, parseBundle, type PluginBundle } from './plugin-bundle.ts';
import { DevSource, type DevSourceStatus } from './dev-source.ts';

/** The event a PluginManager fires after anything about the plugins changed (an install, a load, …). */
export const PLUGINS_CHANGED = 'pb-plugins-changed';

/** What `pb-plugins-changed` carries: what happened, and to which plugins. */
export interface PluginsChangedDetail {
  action: 'install' | 'enable' | 'disable' | 'upgrade' | 'uninstall' | 'import' | 'load' | 'develop' | 'reload' | 'stop-developing';
  plugins: Array<{ group: string; name: string }>;
}

/** One plugin as the manager lists it: its entry point, where it came from, and what state it is in. */
export interface PluginStatus {
  group: string;
  name: string;
  url: string;
  export: string;
  version?: string;
  api?: string;
  description?: string;
  /** The manifest or catalog that declares it (for an installed plugin, where it was installed from). */
  source: string;
  /** The pinned or declared digest, when there is one. */
  integrity?: string;
  /** Whether a person installed it (it can be disabled, upgraded and uninstalled), as opposed to a manifest given to the host. */
  installed: boolean;
  /** Whether a `plugboard dev` server gives it (`develop`): not pinned, reloaded when its files change. */
  development?: boolean;
  /** `loaded`; `not-loaded` (declared, not used yet); `disabled`; `failed` (see `error` for its stage and hint). */
  status: 'loaded' | 'not-loaded' | 'disabled' | 'failed';
  error?: LoadError;
}

/** What an install would keep, shown before anything is kept: origins, entry points and their digests. */
export interface InstallPlan {
  /** The manifest URL, or the module URL for a single entry point. */
  source: string;
  entries: Array<EntryPoint & { integrity: string; pinnedOnFirstUse: boolean; shadows?: string }>;
  /** Every origin the install would load from, and whether the host already allows it. */
  origins: Array<{ origin: string; allowed: boolean }>;
  /** Import-map entries the manifest declares. */
  imports: Record<string, string>;
}

/** How to install a single module rather than a manifest: the group and name it goes under. */
export interface ModuleInstallOptions {
  group: string;
  name: string;
  /** The export to take; default: the URL's `#fragment`, else `default`. */
  export?: string;
  /** A digest to pin instead of trusting the bytes seen now. */
  integrity?: string;
  /** The Plugboard versions it works with (`>=0.1 <0.3`). */
  host?: string;
  /** The plugin API it declares (a catalog version's `api`); the loader refuses one this host does not speak. */
  api?: string;
  version?: string;
  description?: string;
  /** Where it was found (a catalog's URL); default: the module URL itself. */
  source?: string;
}

/** What the host lends the manager: its loader, allowed origins and the entry points in force. */
export interface ManagedHost {
  readonly loader: PluginLoader;
  readonly environment: LoaderEnvironment;
  readonly allowedOrigins: Set<string>;
  groups(): string[];
  discover(group: string): EntryPoint[];
  load(group: string, name: string): Promise<unknown>;
  /** The entry point the host's manifests give for a name (what is in force once an installed plugin is gone). */
  baseEntry(group: string, name: string): EntryPoint | undefined;
  /** Puts `entry` in force under group and name (undefined: nothing), forgetting the earlier load and registry entry. */
  setEntry(group: string, name: string, entry: EntryPoint | undefined): void;
  isLoaded(group: string, name: string): boolean;
  /** The latest load failure of that entry point at that URL, if it has not loaded since. */
  lastError(group: string, name: string, url: string): LoadError | undefined;
  mapImports(imports: Record<string, string>): Promise<void>;
  warn(warning: PlugboardError): void;
}

/**
 * Installs, enables, disables, upgrades and uninstalls plugins while the page runs, keeping them in an
 * InstalledPluginStore as a user manifest layered above the host's manifests (the first wins). Every change is
 * kept in one write before it takes effect, and fires `pb-plugins-changed`. An ES module cannot be unloaded: after
 * an uninstall or upgrade the registry no longer holds the old plugin and the next load gets the new module, but
 * objects taken from the registry earlier keep working with the old code until the page reloads.
 */
export class PluginManager extends EventTarget {
  #host: ManagedHost;
  #store: InstalledPluginStore;
  #plugins = new Map<string, InstalledPlugin>();
  #queue: Promise<unknown> = Promise.resolve();
  #dev = new Map<string, DevSource>();

  /** Made by `createHost`; `plugins` are what the store held when the host started. */
  constructor(host: ManagedHost, store: InstalledPluginStore, plugins: readonly InstalledPlugin[]) {
    super();
    this.#host = host;
    this.#store = store;
    for (const plugin of plugins) this.#plugins.set(keyOf(plugin), plugin);
  }

  /** Every installed plugin as kept (enabled or not), sorted by group and name. */
  installed(): InstalledPlugin[] {
    return [...this.#plugins.values()].sort(byGroupAndName).map((plugin) => structuredClone(plugin));
  }

  /** Every plugin the host knows — from its manifests and installed — with its status, sorted by group and name. */
  list(): PluginStatus[] {
    const listed: PluginStatus[] = [];
    for (const group of this.#host.groups()) {
      for (const entry of this.#host.discover(group)) {
        const installed = this.#plugins.get(keyOf(entry));
        const isInstalled = installed !== undefined && installed.enabled && installed.url === entry.url;
        const error = this.#host.isLoaded(group, entry.name) ? undefined : this.#host.lastError(group, entry.name, entry.url);
        const development = [...this.#dev.values()].some((source) => source.owns(entry));
        listed.push({
          ...statusFields(entry),
          installed: isInstalled && !development,
          ...(development ? { development } : {}),
          status: this.#host.isLoaded(group, entry.name) ? 'loaded' : error ? 'failed' : 'not-loaded',
          ...(error ? { error } : {}),
        });
      }
    }
    for (const plugin of this.#plugins.values()) {
      if (!plugin.enabled) listed.push({ ...statusFields(entryPointOf(plugin)), installed: true, status: 'disabled' });
    }
    return listed.sort(byGroupAndName);
  }

  /**
   * Reads what installing `url` would keep, running no plugin code: a manifest's entry points (without
   * `module`), or one module under `module.group` and `module.name`. Each entry's digest is the manifest's, or
   * the SHA-384 of the bytes read now. Throws INCOMPATIBLE_HOST for an entry made for another Plugboard,
   * ALREADY_INSTALLED for a name installed before (upgrade it instead), and the read or manifest problem.
   */
  async inspect(url: string, module?: ModuleInstallOptions): Promise<InstallPlan> {
    const absolute = new URL(url, this.#host.environment.baseUrl).href;
    const { entries, imports, source } = module ? moduleEntry(absolute, module) : await this.#readManifest(absolute);
    const planned: InstallPlan['entries'] = [];
    for (const entry of entries) {
      checkHostRange(entry);
      if (this.#plugins.has(keyOf(entry))) {
        throw new PlugboardError({
          code: 'ALREADY_INSTALLED',
          stage: 'manifest',
          group: entry.group,
          plugin: entry.name,
          url: entry.url,
          problem: `a plugin is already installed as ${entry.group}/${entry.name} (from ${this.#plugins.get(keyOf(entry))!.source})`,
          hint: 'Upgrade it to move it to the new URL or bytes, or uninstall it first.',
        });
      }
      const integrity = entry.integrity ?? (await this.#host.loader.digest(entry.url));
      const modules = await this.#host.loader.pinDependencies(entry.url, imports);
      const shadowed = this.#host.baseEntry(entry.group, entry.name);
      planned.push({
        ...entry,
        integrity,
        pinnedOnFirstUse: entry.integrity === undefined,
        ...(Object.keys(modules).length > 0 ? { modules } : {}),
        ...(shadowed ? { shadows: shadowed.source } : {}),
      });
    }
    const loaded = planned.flatMap((entry) => [entry.url, ...Object.keys(entry.modules ?? {})]);
    const origins = [...new Set([...loaded.map(originOf), ...Object.values(imports).map(originOf)])];
    return { source, entries: planned, imports, origins: origins.map((origin) => ({ origin, allowed: this.#host.allowedOrigins.has(origin) })) };
  }

  /**
   * Installs a manifest's entry points, or one module (with `module`), or a plan `inspect` made. Each module is
   * fetched, checked against its pin and validated against its group's contract before anything is kept; one
   * failure keeps nothing. An origin the host does not allow is added only with `allowOrigin: true` (the person
   * confirmed it); otherwise ORIGIN_NOT_ALLOWED. Resolves with the kept plugins, loaded and registered.
   */
  install(target: string | InstallPlan, options: { module?: ModuleInstallOptions; allowOrigin?: boolean } = {}): Promise<InstalledPlugin[]> {
    return this.#serial(async () => {
      const plan = typeof target === 'string' ? await this.inspect(target, options.module) : target;
      const added = this.#allowOrigins(plan.origins.map(({ origin }) => origin), options.allowOrigin === true, plan.entries[0]);
      try {
        if (Object.keys(plan.imports).length > 0) await this.#host.mapImports(plan.imports);
        for (const entry of plan.entries) await this.#host.loader.load(entry);
        const now = new Date().toISOString();
        const plugins = plan.entries.map((entry) => toInstalled(entry, entry.integrity, plan.imports, now));
        await this.#store.write(plugins);
        for (const plugin of plugins) this.#putInForce(plugin, 'install');
        await Promise.all(plugins.map((plugin) => this.#host.load(plugin.group, plugin.name)));
        this.#changed('install', plugins);
        return plugins.map((plugin) => structuredClone(plugin));
      } catch (thrown) {
        for (const origin of added) this.#host.allowedOrigins.delete(origin);
        throw thrown;
      }
    });
  }

  /**
   * Reads catalogs (in priority order) and searches them (see `searchCatalogs`). A catalog that cannot be read
   * or is not valid is reported in `problems`, and the others are still searched.
   */
  async searchCatalogs(urls: readonly string[], query = ''): Promise<{ matches: CatalogMatch[]; problems: PlugboardError[] }> {
    const read = await Promise.allSettled(urls.map((url) => readCatalog(url, this.#host.environment)));
    const catalogs = read.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const problems = read.flatMap((outcome, index) =>
      outcome.status === 'rejected'
        ? [outcome.reason instanceof PlugboardError ? outcome.reason : new PlugboardError({ code: 'CATALOG_UNREADABLE', stage: 'manifest', url: urls[index]!, problem: String(outcome.reason) })]
        : [],
    );
    return { matches: searchCatalogs(catalogs, query), problems };
  }

  /**
   * Reads what installing a catalog plugin's version would keep (default: the newest this host is in the range of),
   * pinned to the catalog's digest; see `inspect`.
   */
  async inspectCatalogVersion(match: CatalogMatch, version: CatalogVersion | undefined = match.latest): Promise<InstallPlan> {
    if (!version) {
      throw new PlugboardError({
        code: 'INCOMPATIBLE_HOST',
        stage: 'validate',
        group: match.group,
        plugin: match.name,
        url: match.catalog.url,
        problem: `no version of ${match.group}/${match.name} in ${match.catalog.name} works with this Plugboard (${match.versions.map((each) => `${each.version}: ${each.host ?? 'any'}`).join(', ')})`,
        hint: 'Use a Plugboard in one of those ranges, or ask the catalog for a version made for this one.',
      });
    }
    const entry = catalogEntry(match, version);
    return this.inspect(`${entry.url}#${encodeURIComponent(entry.export)}`, {
      group: entry.group,
      name: entry.name,
      export: entry.export,
      integrity: version.integrity,
      version: version.version,
      source: match.catalog.url,
      ...(entry.host !== undefined ? { host: entry.host } : {}),
      ...(entry.api !== undefined ? { api: entry.api } : {}),
      ...(entry.description !== undefined ? { description: entry.description } : {}),
    });
  }

  /** The person's catalog URLs in priority order, as kept; undefined when none were kept (or the store keeps none). */
  async catalogs(): Promise<string[] | undefined> {
    return this.#store.readCatalogs?.();
  }

  /**
   * Keeps the catalog URLs in priority order (the first catalog wins a plugin two list), resolved against the
   * base URL and without repeats; resolves with the kept list. Throws INVALID_CATALOG_URL naming the entry that is
   * not a URL, keeping nothing.
   */
  setCatalogs(urls: readonly string[]): Promise<string[]> {
    return this.#serial(async () => {
      const resolved: string[] = [];
      for (const [index, url] of urls.entries()) {
        let absolute: string;
        try {
          absolute = new URL(url, this.#host.environment.baseUrl).href;
        } catch (cause) {
          throw new PlugboardError({ code: 'INVALID_CATALOG_URL', stage: 'manifest', field: `catalogs[${index}]`, problem: `"${url}" is not a URL`, hint: 'Give the catalog JSON file\'s address, e.g. https://cdn.example/catalog.json.', cause });
        }
        if (!resolved.includes(absolute)) resolved.push(absolute);
      }
      await this.#store.writeCatalogs?.(resolved);
      return resolved;
    });
  }

  /** Puts a disabled plugin back in force (it loads on its next use). Throws NOT_INSTALLED for an unknown name. */
  enable(group: string, name: string): Promise<void> {
    return this.#serial(async () => {
      const plugin = { ...this.#installedOrThrow(group, name), enabled: true };
      await this.#store.write([plugin]);
      this.#putInForce(plugin, 'enable');
      this.#changed('enable', [plugin]);
    });
  }

  /** Takes a plugin out of force and out of its registry, keeping it installed; a manifest's entry of that name shows again. */
  disable(group: string, name: string): Promise<void> {
    return this.#serial(async () => {
      const plugin = { ...this.#installedOrThrow(group, name), enabled: false };
      await this.#store.write([plugin]);
      this.#plugins.set(keyOf(plugin), plugin);
      this.#setEntry(group, name, this.#host.baseEntry(group, name));
      this.#changed('disable', [plugin]);
    });
  }

  /**
   * Moves an installed plugin to a new URL (`options.url`), or to what its manifest now declares, or to the bytes
   * its URL serves now: the one way to move a pin. The new module is checked and validated before anything is
   * kept; on success the registry drops the old plugin and registers the new one.
   */
  upgrade(group: string, name: string, options: { url?: string; export?: string; integrity?: string; allowOrigin?: boolean } = {}): Promise<InstalledPlugin> {
    return this.#serial(async () => {
      const current = this.#installedOrThrow(group, name);
      let entry: EntryPoint;
      let imports = current.imports ?? {};
      if (options.url !== undefined) {
        const absolute = new URL(options.url, this.#host.environment.baseUrl).href;
        entry = moduleEntry(absolute, { group, name, export: options.export ?? (hashOf(absolute) || current.export) }).entries[0]!;
      } else if (current.source !== current.url && (await this.#isCatalog(current.source))) {
        const [match] = searchCatalogs([await readCatalog(current.source, this.#host.environment)]).filter((found) => found.group === group && found.name === name);
        if (!match?.latest) {
          throw new PlugboardError({
            code: 'NOT_IN_CATALOG',
            stage: 'manifest',
            group,
            plugin: name,
            url: current.source,
            problem: match ? `the catalog lists no version of ${group}/${name} for this Plugboard` : `the catalog it was installed from no longer lists ${group}/${name}`,
            hint: 'Upgrade it to a module URL, or uninstall it.',
          });
        }
        entry = catalogEntry(match, match.latest);
      } else if (current.source !== current.url) {
        const manifest = await this.#readManifest(current.source);
        const declared = manifest.entries.find((candidate) => candidate.group === group && candidate.name === name);
        if (!declared) {
          throw new PlugboardError({
            code: 'NOT_IN_MANIFEST',
            stage: 'manifest',
            group,
            plugin: name,
            url: current.source,
            problem: `the manifest it was installed from no longer declares ${group}/${name}`,
            hint: 'Upgrade it to a module URL, or uninstall it.',
          });
        }
        entry = declared;
        imports = manifest.imports;
      } else {
        entry = { ...entryPointOf(current) };
        delete entry.integrity;
      }
      if (options.integrity !== undefined) entry.integrity = options.integrity;
      checkHostRange(entry);
      // Read afresh: the same URL may serve other bytes now, and they are what the new pin is of.
      this.#host.loader.forget(entry.url);
      const addedOrigins = this.#allowOrigins([originOf(entry.url), ...Object.values(imports).map(originOf)], options.allowOrigin === true, entry);
      try {
        const integrity = entry.integrity ?? (await this.#host.loader.digest(entry.url));
        const modules = await this.#host.loader.pinDependencies(entry.url, imports);
        const added = this.#allowOrigins(Object.keys(modules).map(originOf), options.allowOrigin === true, entry);
        addedOrigins.push(...added);
        if (Object.keys(modules).length > 0) entry.modules = modules;
        else delete entry.modules;
        if (Object.keys(imports).length > 0) await this.#host.mapImports(imports);
        await this.#host.loader.load({ ...entry, integrity });
        // A module installed by its URL is its own source; one from a manifest keeps the manifest.
        const source = current.source === current.url ? entry.url : current.source;
        const plugin = { ...toInstalled(entry, integrity, imports, new Date().toISOString(), source), enabled: current.enabled };
        await this.#store.write([plugin]);
        if (current.url !== plugin.url) this.#host.loader.forget(current.url);
        this.#putInForce(plugin, 'upgrade');
        if (plugin.enabled) await this.#host.load(group, name);
        this.#changed('upgrade', [plugin]);
        return structuredClone(plugin);
      } catch (thrown) {
        for (const origin of addedOrigins) this.#host.allowedOrigins.delete(origin);
        throw thrown;
      }
    });
  }

  /**
   * Reads a `plugboard dev` server's manifest and says what connecting would load, running no plugin code: its
   * entry points and every origin they come from, and whether the host allows each yet.
   */
  async inspectDevelopment(url: string): Promise<{ url: string; entries: EntryPoint[]; origins: Array<{ origin: string; allowed: boolean }> }> {
    const absolute = new URL(url, this.#host.environment.baseUrl).href;
    const { entries, imports } = await this.#readManifest(absolute);
    const origins = [...new Set([originOf(absolute), ...entries.map((entry) => originOf(entry.url)), ...Object.values(imports).map(originOf)])];
    return { url: absolute, entries, origins: origins.map((origin) => ({ origin, allowed: this.#host.allowedOrigins.has(origin) })) };
  }

  /**
   * Develops in place, like `pip install -e`: follows the `plugboard dev` server whose manifest is at `url`, putting
   * its plugins in force above installed and manifest plugins as development plugins — not pinned, since their
   * bytes change by design — and reloading them whenever the server reports a change (see DevSource). Resolves
   * once the first generation is in force. The server's origin is added only with `allowOrigin: true` (the person
   * confirmed it), else ORIGIN_NOT_ALLOWED; DEV_SERVER_UNREACHABLE when no dev server answers. The URL is kept
   * in the store, so `resumeDevelopment()` follows it again after a reload.
   */
  async develop(url: string, options: { allowOrigin?: boolean } = {}): Promise<DevSourceStatus> {
    const plan = await this.inspectDevelopment(url);
    const running = this.#dev.get(plan.url);
    if (running) return running.status();
    const added = this.#allowOrigins(plan.origins.map(({ origin }) => origin), options.allowOrigin === true, undefined);
    const source = this.#devSource(plan.url);
    try {
      await source.start();
      await this.#store.writeDevSources?.([...this.#dev.keys()]);
    } catch (thrown) {
      this.#dev.delete(plan.url);
      await source.stop();
      for (const origin of added) this.#host.allowedOrigins.delete(origin);
      throw thrown;
    }
    return source.status();
  }

  /**
   * Follows again the dev servers kept by `develop` (their origins were confirmed then), as after a reload. Resolves
   * once each has its first generation in force, or is `lost` (its server not running yet: it is retried until it
   * answers) or shows its manifest's problems. Reading the kept list fails with the store's error.
   */
  async resumeDevelopment(): Promise<DevSourceStatus[]> {
    const urls = ((await this.#store.readDevSources?.()) ?? []).filter((url) => !this.#dev.has(url));
    for (const url of urls) this.#host.allowedOrigins.add(originOf(url));
    await Promise.all(urls.map((url) => this.#devSource(url).start({ keepTrying: true })));
    return this.devSources();
  }

  /** Stops following a dev server and forgets it: its plugins leave, and each name gets back its installed or manifest plugin. No-op for an unknown URL. */
  async stopDeveloping(url: string): Promise<void> {
    const absolute = new URL(url, this.#host.environment.baseUrl).href;
    const source = this.#dev.get(absolute);
    if (!source) return;
    this.#dev.delete(absolute);
    await source.stop();
    await this.#store.writeDevSources?.([...this.#dev.keys()]);
  }

  #devSource(url: string): DevSource {
    const source = new DevSource(url, {
      host: this.#host,
      underlying: (group, name) => this.#underlying(group, name),
      changed: (action, plugins) => this.#changed(action, plugins),
    });
    this.#dev.set(url, source);
    return source;
  }

  /** Every dev server followed now, with its state, generation, plugins and problems. */
  devSources(): DevSourceStatus[] {
    return [...this.#dev.values()].map((source) => source.status());
  }

  /** Puts an installed or manifest entry in force, unless a development plugin holds the name: it comes back when developing stops. */
  #setEntry(group: string, name: string, entry: EntryPoint | undefined): void {
    if ([...this.#dev.values()].some((source) => source.develops(group, name))) return;
    this.#host.setEntry(group, name, entry);
  }

  /** The entry point in force under a name without development plugins: the enabled installed one, else the manifests'. */
  #underlying(group: string, name: string): EntryPoint | undefined {
    const plugin = this.#plugins.get(keyOf({ group, name }));
    return plugin?.enabled ? entryPointOf(plugin) : this.#host.baseEntry(group, name);
  }

  /**
   * Removes an installed plugin: the bytes of its modules kept for offline use (but those another installed plugin,
   * or the manifest entry that shows again, still pins), its record, its registry entry and its module record; a
   * manifest's entry of that name shows again. A cache that refuses the removal rejects with MODULE_CACHE_FAILED
   * naming the plugin and the module, with the plugin still installed.
   */
  uninstall(group: string, name: string): Promise<void> {
    return this.#serial(async () => {
      const plugin = this.#installedOrThrow(group, name);
      // The kept bytes go first and the record last. A failure between the two leaves the plugin installed without
      // its offline copy, which its next online load keeps again and a retried uninstall finishes; the other order
      // could leave bytes that no record names, which no retry would find.
      await this.#forgetModules(plugin);
      await this.#store.write([], [plugin]);
      this.#plugins.delete(keyOf(plugin));
      this.#host.loader.forget(plugin.url);
      this.#setEntry(group, name, this.#host.baseEntry(group, name));
      this.#changed('uninstall', [plugin]);
    });
  }

  /** Removes the kept bytes of the plugin's pinned modules that nothing else the host knows still pins. */
  async #forgetModules(plugin: InstalledPlugin): Promise<void> {
    const forget = this.#host.environment.forgetKept;
    if (!forget) return;
    const stillPinned = new Set<string>();
    const others: EntryPoint[] = [...this.#plugins.values()].filter((other) => other !== plugin).map(entryPointOf);
    for (const group of this.#host.groups()) others.push(...this.#host.discover(group).filter((entry) => entry.group !== plugin.group || entry.name !== plugin.name));
    const shown = this.#host.baseEntry(plugin.group, plugin.name);
    if (shown) others.push(shown);
    for (const other of others) for (const url of keptUrlsOf(other)) stillPinned.add(url);
    try {
      await forget.call(this.#host.environment, keptUrlsOf(entryPointOf(plugin)).filter((url) => !stillPinned.has(url)));
    } catch (thrown) {
      if (!(thrown instanceof PlugboardError)) throw thrown;
      throw new PlugboardError({ code: thrown.code, problem: thrown.problem, group: plugin.group, plugin: plugin.name, ...(thrown.url !== undefined ? { url: thrown.url } : {}), ...(thrown.hint !== undefined ? { hint: `${thrown.hint} The plugin stays installed until its uninstall succeeds.` } : {}), cause: thrown.cause });
    }
  }

  /** The installed plugins as a JSON file's content (pins included), for `importInstalled` elsewhere. */
  exportInstalled(): InstalledPluginsFile {
    return { plugboardInstalled: 1, exportedAt: new Date().toISOString(), plugins: this.installed() };
  }

  /** The installed set as a lock file, like `pip freeze`: every plugin with its URL, version and pinned digest. */
  freeze(): InstalledPluginsFile {
    return this.exportInstalled();
  }

  /**
   * The lock file plus the bytes of each plugin's module and of every module it imports, read now and checked
   * against their pins (INTEGRITY_MISMATCH naming the plugin and the module's URL when the source no longer serves
   * the pinned bytes), so `installBundle` elsewhere needs no network.
   */
  async bundle(): Promise<PluginBundle> {
    const plugins = this.installed();
    const modules: PluginBundle['modules'] = {};
    for (const plugin of plugins) {
      for (const [url, integrity] of [[plugin.url, plugin.integrity] as const, ...Object.entries(plugin.modules ?? {})]) {
        if (modules[url]?.integrity === integrity) continue; // a module two plugins share
        const bytes = await this.#host.environment.readBytes(url, { integrity, allowedOrigins: this.#host.allowedOrigins });
        try {
          await verifyIntegrity(bytes, integrity, url);
        } catch (thrown) {
          if (!(thrown instanceof PlugboardError)) throw thrown;
          const { code, problem, stage } = thrown;
          throw new PlugboardError({ code, problem, group: plugin.group, plugin: plugin.name, url, ...(stage ? { stage } : {}), hint: 'The source no longer serves the pinned bytes: upgrade the plugin to trust new bytes, or uninstall it, then bundle again.', cause: thrown });
        }
        modules[url] = bundledModule(bytes, integrity);
      }
    }
    return { plugboardBundle: 1, exportedAt: new Date().toISOString(), plugins, modules };
  }

  /**
   * Installs the plugins of a bundle that are not installed yet from the bytes it holds, with no network: every
   * module (the modules they import included) is checked against its pin first (INTEGRITY_MISMATCH naming plugin and URL, nothing kept), then
   * kept in the environment's module cache and loaded as `importInstalled` does.
   */
  async installBundle(file: unknown, options: { allowOrigin?: boolean } = {}): Promise<InstalledPlugin[]> {
    const bundle = parseBundle(file);
    const checked = await checkedBundleBytes(bundle);
    for (const [url, { integrity, bytes }] of checked) await this.#host.environment.keepVerified?.(url, bytes, integrity);
    return this.importInstalled({ plugboardInstalled: 1, plugins: bundle.plugins }, options);
  }

  /**
   * Installs the plugins of an exported file that are not installed yet, each with its pinned digest (bytes that
   * no longer match are refused with INTEGRITY_MISMATCH) and its enabled state. Checks the whole file first and
   * keeps nothing when one plugin fails; their origins are allowed only with `allowOrigin: true`.
   */
  importInstalled(file: unknown, options: { allowOrigin?: boolean } = {}): Promise<InstalledPlugin[]> {
    return this.#serial(async () => {
      const parsed = InstalledPluginsFileSchema.safeParse(file);
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        throw new PlugboardError({
          code: 'INVALID_INSTALLED_FILE',
          stage: 'manifest',
          ...(issue ? { field: issue.path.map(String).join('.') } : {}),
          problem: `the file is not a Plugboard installed-plugins file: ${issue?.message ?? 'unknown problem'}`,
          hint: 'Choose a file made by "Export" in the plugin manager.',
        });
      }
      const fresh = parsed.data.plugins.filter((plugin) => !this.#plugins.has(keyOf(plugin)));
      const origins = fresh.flatMap((plugin) => [plugin.url, ...Object.values(plugin.imports ?? {}), ...Object.keys(plugin.modules ?? {})].map(originOf));
      const added = this.#allowOrigins(origins, options.allowOrigin === true, fresh[0] && entryPointOf(fresh[0]));
      try {
        for (const plugin of fresh) {
          checkHostRange(entryPointOf(plugin));
          if (plugin.imports && Object.keys(plugin.imports).length > 0) await this.#host.mapImports(plugin.imports);
          await this.#host.loader.load(entryPointOf(plugin));
        }
        await this.#store.write(fresh);
        for (const plugin of fresh) {
          if (plugin.enabled) this.#putInForce(plugin, 'install');
          else this.#plugins.set(keyOf(plugin), plugin);
        }
        this.#changed('import', fresh);
        return fresh.map((plugin) => structuredClone(plugin));
      } catch (thrown) {
        for (const origin of added) this.#host.allowedOrigins.delete(origin);
        throw thrown;
      }
    });
  }

  /** The error `host.load` throws for a plugin that is installed but disabled; undefined when it is not. */
  disabledError(group: string, name: string): PlugboardError | undefined {
    const plugin = this.#plugins.get(keyOf({ group, name }));
    if (!plugin || plugin.enabled) return undefined;
    return new PlugboardError({
      code: 'PLUGIN_DISABLED',
      group,
      plugin: name,
      url: plugin.url,
      problem: `${group}/${name} is installed but disabled`,
      hint: 'Enable it in the plugin manager (host.plugins.enable) to use it.',
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #installedOrThrow(group: string, name: string): InstalledPlugin {
    const plugin = this.#plugins.get(keyOf({ group, name }));
    if (plugin) return plugin;
    const installed = [...this.#plugins.values()].map((each) => `${each.group}/${each.name}`).sort();
    throw new PlugboardError({
      code: 'NOT_INSTALLED',
      group,
      plugin: name,
      problem: `no plugin is installed as ${group}/${name}`,
      hint: installed.length ? `Installed: ${installed.join(', ')}.` : 'Nothing is installed; plugins from manifests cannot be changed here.',
    });
  }

  /** Adds the origins the host does not allow yet when the person confirmed them; else throws ORIGIN_NOT_ALLOWED naming the first. */
  #allowOrigins(origins: readonly string[], confirmed: boolean, entry: EntryPoint | undefined): string[] {
    const missing = [...new Set(origins)].filter((origin) => !this.#host.allowedOrigins.has(origin));
    if (missing.length > 0 && !confirmed) {
      throw new PlugboardError({
        code: 'ORIGIN_NOT_ALLOWED',
        stage: 'origin',
        ...(entry ? { group: entry.group, plugin: entry.name, url: entry.url } : {}),
        problem: `installing would load code from ${missing.join(', ')}, which the host does not allow yet`,
        hint: 'Confirm the origin to add it to the allowed origins (install with { allowOrigin: true }), or install from an allowed origin.',
      });
    }
    for (const origin of missing) this.#host.allowedOrigins.add(origin);
    return missing;
  }

  #putInForce(plugin: InstalledPlugin, action: 'install' | 'enable' | 'upgrade'): void {
    this.#plugins.set(keyOf(plugin), plugin);
    const base = this.#host.baseEntry(plugin.group, plugin.name);
    if (base && action !== 'upgrade') {
      this.#host.warn(
        warningOf({
          code: 'SHADOWED_ENTRY_POINT',
          group: plugin.group,
          plugin: plugin.name,
          url: base.url,
          problem: `entry point from ${base.source} is shadowed by the installed one from ${plugin.source}`,
          hint: 'Installed plugins come first; disable or uninstall it to use the other one again.',
        }),
      );
    }
    if (plugin.enabled) this.#setEntry(plugin.group, plugin.name, entryPointOf(plugin));
  }

  #changed(action: PluginsChangedDetail['action'], plugins: ReadonlyArray<{ group: string; name: string }>): void {
    const detail: PluginsChangedDetail = { action, plugins: plugins.map(({ group, name }) => ({ group, name })) };
    this.dispatchEvent(new CustomEvent(PLUGINS_CHANGED, { detail }));
  }

  /** Whether the JSON at `url` is a catalog rather than a manifest (it has `catalogVersion`). */
  async #isCatalog(url: string): Promise<boolean> {
    try {
      const json = JSON.parse(new TextDecoder().decode(await this.#host.environment.readBytes(url))) as { catalogVersion?: unknown } | null;
      return typeof json === 'object' && json !== null && json.catalogVersion !== undefined;
    } catch {
      return false; // the manifest reader reports what is wrong with it
    }
  }

  async #readManifest(url: string): Promise<{ entries: EntryPoint[]; imports: Record<string, string>; source: string }> {
    const read = await readManifest(url, this.#host.environment);
    if ('problems' in read) throw read.problems[0]!;
    return { entries: read.manifest.entryPoints, imports: read.manifest.imports, source: url };
  }

}

function moduleEntry(url: string, module: ModuleInstallOptions): { entries: EntryPoint[]; imports: Record<string, string>; source: string } {
  const hash = hashOf(url);
  const bare = hash ? url.slice(0, url.length - hash.length - 1) : url;
  const entry: EntryPoint = { group: module.group, name: module.name, url: bare, export: module.export ?? (hash || 'default'), source: module.source ?? bare };
  if (module.integrity !== undefined) entry.integrity = module.integrity;
  if (module.host !== undefined) entry.host = module.host;
  if (module.api !== undefined) entry.api = module.api;
  if (module.version !== undefined) entry.version = module.version;
  if (module.description !== undefined) entry.description = module.description;
  return { entries: [entry], imports: {}, source: entry.source };
}

/** The entry point of one catalog version, its source the catalog. */
export function catalogEntry(match: CatalogMatch, version: CatalogVersion): EntryPoint {
  const entry: EntryPoint = {
    group: match.group,
    name: match.name,
    url: version.url,
    export: version.export ?? 'default',
    integrity: version.integrity,
    version: version.version,
    source: match.catalog.url,
  };
  if (match.description !== undefined) entry.description = match.description;
  if (version.host !== undefined) entry.host = version.host;
  if (version.api !== undefined) entry.api = version.api;
  return entry;
}

function hashOf(url: string): string {
  const at = url.indexOf('#');
  return at < 0 ? '' : decodeURIComponent(url.slice(at + 1));
}

function toInstalled(entry: EntryPoint, integrity: string, imports: Record<string, string>, installedAt: string, source = entry.source): InstalledPlugin {
  const plugin: InstalledPlugin = { group: entry.group, name: entry.name, url: entry.url, export: entry.export, integrity, source, enabled: true, installedAt };
  if (entry.api !== undefined) plugin.api = entry.api;
  if (entry.version !== undefined) plugin.version = entry.version;
  if (entry.description !== undefined) plugin.description = entry.description;
  if (entry.host !== undefined) plugin.host = entry.host;
  if (Object.keys(imports).length > 0) plugin.imports = { ...imports };
  if (entry.modules && Object.keys(entry.modules).length > 0) plugin.modules = { ...entry.modules };
  return plugin;
}

function statusFields(entry: EntryPoint): Omit<PluginStatus, 'installed' | 'status' | 'error'> {
  return {
    group: entry.group,
    name: entry.name,
    url: entry.url,
    export: entry.export,
    source: entry.source,
    ...(entry.version !== undefined ? { version: entry.version } : {}),
    ...(entry.api !== undefined ? { api: entry.api } : {}),
    ...(entry.description !== undefined ? { description: entry.description } : {}),
    ...(entry.integrity !== undefined ? { integrity: entry.integrity } : {}),
  };
}

function keyOf(plugin: { group: string; name: string }): string {
  return `${plugin.group}\u0000${plugin.name}`;
}

function byGroupAndName(a: { group: string; name: string }, b: { group: string; name: string }): number {
  return a.group < b.group ? -1 : a.group > b.group ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The URLs whose bytes a load of the entry keeps for offline use: its module when pinned, and each module it imports that is pinned. */
function keptUrlsOf(entry: EntryPoint): string[] {
  return [...(entry.integrity ? [entry.url] : []), ...Object.keys(entry.modules ?? {})];
}
