import { describeIssues, formatPath, PlugboardError } from '../errors/index.ts';
import { DEFAULT_DB_NAME, openPlugboardDB, runInTransaction } from '../storage/index.ts';
import { InstalledPluginSchema, type InstalledPlugin } from './installed-plugin.ts';

/** Where installed plugins are kept. Every write is one transaction: all of it is kept, or none. */
export interface InstalledPluginStore {
  /** Every kept plugin that reads back valid, and one problem for each record that does not (never dropped silently). */
  read(): Promise<{ plugins: InstalledPlugin[]; problems: PlugboardError[] }>;
  /** Keeps these plugins (replacing the same group and name) and removes `remove`, in one write. */
  write(put: readonly InstalledPlugin[], remove?: ReadonlyArray<{ group: string; name: string }>): Promise<void>;
  /** The person's catalog URLs in priority order; undefined when none were ever kept (the app's defaults apply). */
  readCatalogs?(): Promise<string[] | undefined>;
  /** Keeps the catalog URLs in priority order, replacing the list kept before. */
  writeCatalogs?(urls: readonly string[]): Promise<void>;
  /** The manifest URLs of the `plugboard dev` servers the person was developing from; empty when none. */
  readDevSources?(): Promise<string[]>;
  /** Keeps the dev servers' manifest URLs, replacing the list kept before. */
  writeDevSources?(urls: readonly string[]): Promise<void>;
}

/** The `meta` record that holds the catalog list, as JSON (meta values are strings or numbers). */
const CATALOGS_KEY = 'catalogs';
/** The `meta` record that holds the dev servers' manifest URLs, as JSON. */
const DEV_SOURCES_KEY = 'devSources';

/** Keeps installed plugins in memory only: they last as long as the page (the default of `createHost`). */
export function memoryInstalledPlugins(initial: readonly InstalledPlugin[] = []): InstalledPluginStore {
  const kept = new Map(initial.map((plugin) => [keyOf(plugin), structuredClone(plugin)]));
  let catalogs: string[] | undefined;
  let devSources: string[] = [];
  return {
    async readDevSources() {
      return [...devSources];
    },
    async writeDevSources(urls) {
      devSources = [...urls];
    },
    async readCatalogs() {
      return catalogs && [...catalogs];
    },
    async writeCatalogs(urls) {
      catalogs = [...urls];
    },
    async read() {
      return { plugins: [...kept.values()].map((plugin) => structuredClone(plugin)), problems: [] };
    },
    async write(put, remove = []) {
      for (const plugin of remove) kept.delete(keyOf(plugin));
      for (const plugin of put) kept.set(keyOf(plugin), structuredClone(plugin));
    },
  };
}

/** Keeps installed plugins in Plugboard's IndexedDB database (`installedPlugins` store), so they survive a reload. */
export function idbInstalledPlugins(dbName: string = DEFAULT_DB_NAME): InstalledPluginStore {
  return {
    async read() {
      const db = await openPlugboardDB(dbName);
      const records = await runInTransaction(db, ['installedPlugins'], 'readonly', 'reading the installed plugins', (transaction) =>
        transaction.objectStore('installedPlugins').getAll(),
      );
      const plugins: InstalledPlugin[] = [];
      const problems: PlugboardError[] = [];
      for (const record of records) {
        const parsed = InstalledPluginSchema.safeParse(record);
        if (parsed.success) {
          plugins.push(parsed.data);
          continue;
        }
        const [issue] = describeIssues(parsed.error.issues, record);
        problems.push(
          new PlugboardError({
            code: 'INVALID_INSTALLED_PLUGIN',
            stage: 'manifest',
            group: String(record.group),
            plugin: String(record.name),
            ...(issue ? { field: formatPath(issue.path) } : {}),
            problem: `the kept record of this installed plugin is not valid: ${issue?.message ?? 'unknown problem'}; it is not loaded`,
            hint: 'Uninstall it and install it again.',
          }),
        );
      }
      return { plugins, problems };
    },
    async write(put, remove = []) {
      const db = await openPlugboardDB(dbName);
      await runInTransaction(db, ['installedPlugins'], 'readwrite', 'keeping the installed plugins', async (transaction) => {
        const store = transaction.objectStore('installedPlugins');
        for (const plugin of remove) await store.delete([plugin.group, plugin.name]);
        for (const plugin of put) await store.put(plugin);
      });
    },
    async readCatalogs() {
      const db = await openPlugboardDB(dbName);
      const record = await runInTransaction(db, ['meta'], 'readonly', 'reading the catalog list', (transaction) => transaction.objectStore('meta').get(CATALOGS_KEY));
      if (record === undefined) return undefined;
      const urls = parseJson(record.value);
      if (!Array.isArray(urls) || !urls.every((url) => typeof url === 'string')) {
        throw new PlugboardError({
          code: 'INVALID_CATALOG_LIST',
          stage: 'manifest',
          field: `meta.${CATALOGS_KEY}`,
          problem: `the kept catalog list is not a list of URLs: ${String(record.value).slice(0, 80)}`,
          hint: 'Add the catalogs again in the plugin manager; that replaces the kept list.',
        });
      }
      return urls;
    },
    async readDevSources() {
      const db = await openPlugboardDB(dbName);
      const record = await runInTransaction(db, ['meta'], 'readonly', 'reading the dev servers followed', (transaction) => transaction.objectStore('meta').get(DEV_SOURCES_KEY));
      if (record === undefined) return [];
      const urls = parseJson(record.value);
      if (!Array.isArray(urls) || !urls.every((url) => typeof url === 'string')) {
        throw new PlugboardError({
          code: 'INVALID_DEV_SOURCES',
          stage: 'manifest',
          field: `meta.${DEV_SOURCES_KEY}`,
          problem: `the kept list of dev servers is not a list of URLs: ${String(record.value).slice(0, 80)}`,
          hint: 'Connect the dev server again in the plugin manager (Develop); that replaces the kept list.',
        });
      }
      return urls;
    },
    async writeDevSources(urls) {
      const db = await openPlugboardDB(dbName);
      await runInTransaction(db, ['meta'], 'readwrite', 'keeping the dev servers followed', (transaction) =>
        transaction.objectStore('meta').put({ key: DEV_SOURCES_KEY, value: JSON.stringify(urls) }),
      );
    },
    async writeCatalogs(urls) {
      const db = await openPlugboardDB(dbName);
      await runInTransaction(db, ['meta'], 'readwrite', 'keeping the catalog list', (transaction) =>
        transaction.objectStore('meta').put({ key: CATALOGS_KEY, value: JSON.stringify(urls) }),
      );
    },
  };
}

function keyOf(plugin: { group: string; name: string }): string {
  return `${plugin.group}\u0000${plugin.name}`;
}

function parseJson(value: unknown): unknown {
  try {
    return typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    return undefined; // reported by the caller as a list that is not valid
  }
}
