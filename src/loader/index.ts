// The loader: fetch → integrity → lex → import → validate, one record per URL, failures as data.
export { PluginLoader } from './plugin-loader.ts';
export { originOf } from './origin-of.ts';
export type { PluginLoaderOptions, LoadOptions } from './plugin-loader.ts';
export { defaultEnvironment } from './environment.ts';
export type { LoaderEnvironment, EnvironmentOptions } from './environment.ts';
export { fetchBytes, isUnreachable } from './fetch-bytes.ts';
export { defaultCacheFolder, diskModuleCache } from './disk-module-cache.ts';
export type { DiskModuleCache } from './disk-module-cache.ts';
export type { ImportMapConflict } from './import-map.ts';
export { lexModule, isBareSpecifier } from './lex-module.ts';
export type { ModuleShape, UrlDependentPlace } from './lex-module.ts';
export { relocateSource } from './relocate-source.ts';
export { verifyIntegrity } from './verify-integrity.ts';
export { toLoadErrors } from './load-error.ts';
export type { LoadError, LoadReport } from './load-error.ts';
export { isLoadedPlugin } from './loaded-plugin.ts';
export type { LoadedPlugin } from './loaded-plugin.ts';
export { importMapConflictError } from './import-map-conflict-error.ts';
