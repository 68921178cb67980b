import { describeIssues, formatPath, PlugboardError } from '../errors/index.ts';
import { DEFAULT_DB_NAME, openPlugboardDB, runInTransaction } from '../storage/index.ts';
import { InstalledPluginSchema, type InstalledPlugin } from './installed-plugin.ts';

/** Where installed plugins are kept. Every write is one transaction: all of it is kept, or none. */
export interface InstalledPluginStore {
  /** Every kept plugin that reads back valid, and one problem for each record that does not (never dropped silently). */
  read(): Promise<{ plugins: InstalledPlugin[]; problems: PlugboardError[] }>;
  /** Keeps these plugins (replacing the same group and name) and removes `remove`, in one write. */
  write(put: readonly InstalledPlugin[], remove?: ReadonlyArray<{ group: string; name: string }>): Promise<void>;
}

/** Keeps installed plugins in memory only: they last as long as the page (the default of `createHost`). */
export function memoryInstalledPlugins(initial: readonly InstalledPlugin[] = []): InstalledPluginStore {
  const kept = new Map(initial.map((plugin) => [keyOf(plugin), structuredClone(plugin)]));
  return {
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
  };
}

function keyOf(plugin: { group: string; name: string }): string {
  return `${plugin.group}\u0000${plugin.name}`;
}
