// The TypeScript side of the v1 contracts: what a plugin author writes against.
import type { MetricOption } from './metric-options.ts';
import type { ModelProvenance } from './model-provenance.ts';

export type { MetricOption, MetricOptionType, MetricOptionValue } from './metric-options.ts';
export type { ModelProvenance, ModelFileRecord } from './model-provenance.ts';

/** Fields any plugin may carry. */
export interface PluginMeta {
  api?: 'v1';
  name?: string;
  description?: string;
  version?: string;
}

/** What a metric returns: a number, or an object of named results (`{ score, ...details }`). */
export type MetricResult = number | object;

/** One slice of rows handed to an accumulator. */
export interface MetricBatch<P = unknown, R = unknown> {
  predictions: readonly P[];
  references: readonly R[];
}

/** Fields any metric may carry besides the common ones. */
export interface MetricMeta extends PluginMeta {
  /** The options the metric accepts, declared as data (forms, help texts and docs are built from it). */
  options?: readonly MetricOption[];
  /**
   * Called and awaited by whoever runs the metric, with the options, before `init` (or the call): a
   * metric that must read something first (a model file) does it here. Optional; it may be called again
   * with the same options and must then return quickly.
   */
  prepare?(options?: Record<string, unknown>): Promise<void>;
}

/**
 * What whoever runs a metric hands to the call that produces its result (an accumulator's `finalize`, a
 * function metric's call), beside the options. Absent when the caller keeps no run (a plain call in a test).
 */
export interface MetricContext {
  /**
   * Records a model the metric ran, so the evaluation's run keeps where its files came from and their
   * digests, without the model showing in the result. Throws a PlugboardError naming the field when the
   * record does not have the ModelProvenance shape; recording the same model twice keeps one.
   */
  recordModel(model: ModelProvenance): void;
}

/** A metric as one call over all rows. */
export type MetricFunction<P = unknown, R = unknown, O = Record<string, unknown>> = ((
  predictions: readonly P[],
  references: readonly R[],
  options?: O,
  context?: MetricContext,
) => MetricResult | Promise<MetricResult>) &
  MetricMeta;

/**
 * A metric as a streaming accumulator: `update` folds a batch into the state, `merge` combines the
 * states of two halves (in any two workers), `finalize` turns a state into the result.
 */
export interface MetricAccumulator<S = unknown, P = unknown, R = unknown, O = Record<string, unknown>> extends MetricMeta {
  init(options?: O): S;
  update(state: S, batch: MetricBatch<P, R>, options?: O): S;
  merge(a: S, b: S, options?: O): S;
  finalize(state: S, options?: O, context?: MetricContext): MetricResult;
}

/** A `codex_ml.metrics` plugin. */
export type Metric<P = unknown, R = unknown, O = Record<string, unknown>> =
  | MetricFunction<P, R, O>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | MetricAccumulator<any, P, R, O>;

/** A record a data loader yields. */
export type DataRecord = Record<string, unknown>;

/** A `codex_ml.data_loaders` plugin: streams records from a source. */
export type DataLoader<O = Record<string, unknown>> = ((
  source: Blob | URL | string,
  options?: O,
) => AsyncIterable<DataRecord>) &
  PluginMeta;

/** What a tokenizer factory returns. */
export interface Tokenizer {
  encode(text: string): number[] | Promise<number[]>;
  decode(ids: readonly number[]): string | Promise<string>;
  [extra: string]: unknown;
}

/** A `codex_ml.tokenizers` plugin. */
export type TokenizerFactory<C = Record<string, unknown>> = ((config: C) => Tokenizer | Promise<Tokenizer>) & PluginMeta;

/** A `codex_ml.models` plugin. */
export type ModelFactory<M = unknown, C = Record<string, unknown>> = ((config: C) => Promise<[M, Tokenizer | null]>) &
  PluginMeta;

/** What a trainer is handed besides its config. */
export interface TrainerContext<M = unknown> {
  model: M;
  data: AsyncIterable<DataRecord> | Iterable<DataRecord>;
  tracking?: unknown;
}

/** A `codex_ml.trainers` plugin. */
export type Trainer<C = Record<string, unknown>, M = unknown, Result = unknown> = ((
  config: C,
  context: TrainerContext<M>,
) => Promise<Result>) &
  PluginMeta;

/** A `codex_ml.plugins` plugin: activated once with the host. */
export interface GeneralPlugin<H = unknown> extends PluginMeta {
  activate(host: H): void | Promise<void>;
}

/** An `mlflow.run_context_provider` plugin: contributes tags to every new run while `inContext()` is true. */
export interface RunContextProvider extends PluginMeta {
  inContext(): boolean | Promise<boolean>;
  tags(): Record<string, string> | Promise<Record<string, string>>;
}

/**
 * An `mlflow.request_header_provider` plugin, as MLflow's RequestHeaderProvider: while `inContext()` is true its
 * headers go with every request to a tracking server (a bearer token, basic auth).
 */
export interface RequestHeaderProvider extends PluginMeta {
  inContext(): boolean | Promise<boolean>;
  requestHeaders(): Record<string, string> | Promise<Record<string, string>>;
}

/** A store plugin (`mlflow.tracking_store`, `mlflow.artifact_repository`, `mlflow.model_registry_store`): a factory keyed by URI scheme. */
export type StoreFactory<S> = ((uri: string) => S | Promise<S>) & PluginMeta;
