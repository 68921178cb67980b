// The SDK for plugin authors: `import { defineMetric } from 'plugboard/sdk'`. Tiny on purpose — every
// plugin shares this one module with the host through the import map.
import type {
  DataLoader,
  GeneralPlugin,
  Metric,
  ModelFactory,
  RequestHeaderProvider,
  RunContextProvider,
  StoreFactory,
  TokenizerFactory,
  Trainer,
} from '../adapters/plugin-types.ts';

export type * from '../adapters/plugin-types.ts';
/** The host's one error class, shared so a plugin's errors carry fields the host can render (`code`, `problem`, `hint`, `field`, …). */
export { PlugboardError } from '../errors/index.ts';

/** The plugin API version this SDK stamps. */
export const API_VERSION = 'v1' as const;

/**
 * The SDK's identity. A plugin that imports `plugboard/sdk` through the host's import map sees the very
 * object the host sees, so `SDK === hostSdk` proves a single instance.
 */
export const SDK = Object.freeze({ name: 'plugboard/sdk', api: API_VERSION });

function stamp<T extends object>(plugin: T): T & { api: 'v1' } {
  return Object.assign(plugin, { api: API_VERSION });
}

/** Declares a `codex_ml.metrics` plugin: a function or an accumulator. Returns the same object, stamped `api: "v1"`. */
export const defineMetric = <M extends Metric<any, any, any>>(metric: M): M & { api: 'v1' } => stamp(metric);
/** Declares a `codex_ml.data_loaders` plugin. */
export const defineDataLoader = <L extends DataLoader<any>>(loader: L): L & { api: 'v1' } => stamp(loader);
/** Declares a `codex_ml.tokenizers` plugin (a factory). */
export const defineTokenizer = <F extends TokenizerFactory<any>>(factory: F): F & { api: 'v1' } => stamp(factory);
/** Declares a `codex_ml.models` plugin (a factory). */
export const defineModel = <F extends ModelFactory<any, any>>(factory: F): F & { api: 'v1' } => stamp(factory);
/** Declares a `codex_ml.trainers` plugin. */
export const defineTrainer = <T extends Trainer<any, any, any>>(trainer: T): T & { api: 'v1' } => stamp(trainer);
/** Declares a `codex_ml.plugins` plugin. */
export const definePlugin = <P extends GeneralPlugin<any>>(plugin: P): P & { api: 'v1' } => stamp(plugin);
/** Declares an `mlflow.tracking_store` plugin: a factory called with the tracking URI. */
export const defineTrackingStore = <S>(factory: StoreFactory<S>): StoreFactory<S> & { api: 'v1' } => stamp(factory);
/** Declares an `mlflow.artifact_repository` plugin: a factory called with the artifact URI. */
export const defineArtifactRepository = <S>(factory: StoreFactory<S>): StoreFactory<S> & { api: 'v1' } => stamp(factory);
/** Declares an `mlflow.model_registry_store` plugin: a factory called with the registry URI. */
export const defineModelRegistryStore = <S>(factory: StoreFactory<S>): StoreFactory<S> & { api: 'v1' } => stamp(factory);
/** Declares an `mlflow.run_context_provider` plugin. */
export const defineContextProvider = <P extends RunContextProvider>(provider: P): P & { api: 'v1' } => stamp(provider);
/** Declares an `mlflow.request_header_provider` plugin: `{ inContext(), requestHeaders() }`, asked before each request to a server. */
export const defineRequestHeaderProvider = <P extends RequestHeaderProvider>(provider: P): P & { api: 'v1' } => stamp(provider);
