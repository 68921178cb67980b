// Registries: named, sorted collections of plugins, and the table of stable names.
export { Registry } from './registry.ts';
export type { RegistryOptions } from './registry.ts';
export { getAllStableNames, isStableName, getDescription, STABLE_KINDS } from './stable-names.ts';
export type { StableKind } from './stable-names.ts';
