// Plugins distributed as npm packages: discovery of the dependencies that declare a package.json `plugboard` field (Node only).
export { discoverPackages, packageManifest, packageManifestSources, readPluginField } from './discover-packages.ts';
export type { DiscoveredPackages, PackageEntryPoint, PluginPackage } from './discover-packages.ts';
