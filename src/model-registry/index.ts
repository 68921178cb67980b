// Model registry: registered models, their versions, tags and aliases, as MLflow's model-registry store, on IndexedDB.
export { openModelRegistryStore, IdbModelRegistryStore } from './idb-model-registry-store.ts';
export type * from './types.ts';
export { MODEL_VERSION_STAGES } from './types.ts';
export { REGISTRY_LIMITS, validateAlias, validateModelName, parseVersion, canonicalStage } from './registry-validation.ts';
export { compileRegisteredModelFilter, compileRegisteredModelOrderBy, compileModelVersionFilter, compileModelVersionOrderBy } from './registry-search.ts';
export type { SearchableRegistryItem, SearchableVersion } from './registry-search.ts';
export { copyModelVersion, resolveModelUri } from './copy-model-version.ts';
export { parseModelUri, isModelsUri } from './parse-model-uri.ts';
export type { ModelUri } from './parse-model-uri.ts';
