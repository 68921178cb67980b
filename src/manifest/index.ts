// Manifests: the JSON that plays the part of Python's entry points — schema, parsing, layering.
export { ManifestSchema, EntryPointSpecSchema, IntegritySchema, GROUP_NAME, ENTRY_NAME, INTEGRITY } from './manifest-schema.ts';
export type { Manifest, EntryPointSpec } from './manifest-schema.ts';
export { checkManifest, parseManifest } from './parse-manifest.ts';
export type { EntryPoint, ParsedManifest, ManifestCheck } from './parse-manifest.ts';
export { layerManifests } from './layer-manifests.ts';
export type { LayeredManifests } from './layer-manifests.ts';
export { readManifest, manifestUrlOf } from './read-manifest.ts';
export type { ManifestSource, ManifestReader } from './read-manifest.ts';
export { checkHostRange, HOST_VERSION } from './host-range.ts';
