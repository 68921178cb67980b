// Installed plugins: install, enable, disable, upgrade and uninstall at run time, pinned and kept as a user manifest.
export { PluginManager, PLUGINS_CHANGED, catalogEntry } from './plugin-manager.ts';
export type { InstallPlan, ManagedHost, ModuleInstallOptions, PluginStatus, PluginsChangedDetail } from './plugin-manager.ts';
export { InstalledPluginSchema, InstalledPluginsFileSchema, USER_MANIFEST_URL, entryPointOf, userManifest } from './installed-plugin.ts';
export type { InstalledPlugin, InstalledPluginsFile } from './installed-plugin.ts';
export { idbInstalledPlugins, memoryInstalledPlugins } from './installed-plugin-store.ts';
export type { InstalledPluginStore } from './installed-plugin-store.ts';
export type { DevSourceStatus } from './dev-source.ts';
export { PluginBundleSchema, BundledModuleSchema } from './plugin-bundle.ts';
export type { PluginBundle, BundledModule } from './plugin-bundle.ts';
