// Adapters: the v1 contract of each stable group — a zod schema to check plugins, and the types authors write against.
export { STABLE_ADAPTERS, adapterFor, TRACKING_STORE_METHODS, ARTIFACT_REPOSITORY_METHODS, MODEL_REGISTRY_METHODS } from './stable-groups.ts';
export { validatePlugin, validateInstance } from './validate-plugin.ts';
export type { PluginOrigin } from './validate-plugin.ts';
export type { Adapter } from './adapter.ts';
export type * from './plugin-types.ts';
export { MetricOptionSchema, MetricOptionsSchema, MetricOptionTypeSchema } from './metric-options.ts';
export { ModelProvenanceSchema, ModelFileRecordSchema, modelProvenanceTag, modelTagValue } from './model-provenance.ts';
export { acceptsValue } from './accepts-option-value.ts';
export type { MetricOption, MetricOptionType, MetricOptionValue } from './metric-options.ts';
