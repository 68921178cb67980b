import * as z from 'zod/mini';
import { ENTRY_NAME, GROUP_NAME, INTEGRITY, type EntryPoint, type ParsedManifest } from '../manifest/index.ts';

const NonEmpty = z.string().check(z.minLength(1, { error: 'must not be empty' }));

/**
 * A plugin a person installed, as it is kept: the entry point, its pinned digest, where it was installed from
 * and whether it is enabled. The schema is the single source of truth for the record and the export file.
 */
export const InstalledPluginSchema = z.strictObject({
  group: z.string().check(z.regex(GROUP_NAME, { error: 'a group name is letters, digits, "_", "-" and "."' })),
  name: z.string().check(z.regex(ENTRY_NAME, { error: 'an entry-point name is letters, digits, "_", "-", "+" and "."' })),
  /** Absolute URL of the module. */
  url: NonEmpty,
  export: NonEmpty,
  /** The pin: the manifest's digest, or the SHA-384 of the bytes seen at install (trust on first use). */
  integrity: z.string().check(z.regex(INTEGRITY, { error: 'an integrity value is "sha384-…" with a base64 digest' })),
  api: z.optional(z.string()),
  version: z.optional(z.string()),
  description: z.optional(z.string()),
  host: z.optional(NonEmpty),
  /** The manifest (or catalog) it was installed from, or the module URL itself. */
  source: NonEmpty,
  /** Import-map entries its manifest declared, with absolute URLs. */
  imports: z.optional(z.record(NonEmpty, NonEmpty)),
  /**
   * Every module the plugin's module imports (relative, full-URL and mapped imports, followed through), URL → the
   * SHA-384 of its bytes at install: later loads refuse other bytes, and a page keeps them for offline use.
   */
  modules: z.optional(z.record(NonEmpty, z.string().check(z.regex(INTEGRITY, { error: 'an integrity value is "sha384-…" with a base64 digest' })))),
  enabled: z.boolean(),
  /** When it was installed or last upgraded (ISO 8601). */
  installedAt: NonEmpty,
});
export type InstalledPlugin = z.infer<typeof InstalledPluginSchema>;

/** The JSON file `exportInstalled()` writes and `importInstalled()` reads. */
export const InstalledPluginsFileSchema = z.strictObject({
  plugboardInstalled: z.literal(1, { error: 'plugboardInstalled must be 1 (a Plugboard installed-plugins file)' }),
  exportedAt: z.optional(z.string()),
  plugins: z.array(InstalledPluginSchema),
});
export type InstalledPluginsFile = z.infer<typeof InstalledPluginsFileSchema>;

/** The URL the user manifest is known by in warnings and reports. */
export const USER_MANIFEST_URL = 'plugboard:installed';

/** The entry point an installed plugin declares; its `source` is where it was installed from. */
export function entryPointOf(plugin: InstalledPlugin): EntryPoint {
  const entry: EntryPoint = { group: plugin.group, name: plugin.name, url: plugin.url, export: plugin.export, integrity: plugin.integrity, source: plugin.source };
  if (plugin.api !== undefined) entry.api = plugin.api;
  if (plugin.version !== undefined) entry.version = plugin.version;
  if (plugin.description !== undefined) entry.description = plugin.description;
  if (plugin.host !== undefined) entry.host = plugin.host;
  if (plugin.modules !== undefined) entry.modules = { ...plugin.modules };
  return entry;
}

/** The user manifest: every enabled installed plugin, layered above the other manifests. */
export function userManifest(plugins: readonly InstalledPlugin[]): ParsedManifest {
  const imports: Record<string, string> = {};
  for (const plugin of plugins) if (plugin.enabled) Object.assign(imports, plugin.imports);
  return { url: USER_MANIFEST_URL, name: 'installed', imports, entryPoints: plugins.filter((plugin) => plugin.enabled).map(entryPointOf) };
}
