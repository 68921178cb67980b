// The composition root: createHost wires manifests, loader and registries together (the only place that does).
export { createHost } from './create-host.ts';
export type { Host, HostOptions, ManifestSource } from './create-host.ts';
