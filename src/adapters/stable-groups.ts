import * as z from 'zod/mini';
import { CommonFields, FunctionSchema, methodsSchema, type Adapter } from './adapter.ts';
import { MetricOptionsSchema } from './metric-options.ts';

/** The metric shape of a streaming accumulator. */
const ACCUMULATOR_METHODS = ['init', 'update', 'merge', 'finalize'] as const;

/** The methods a tracking store must have to be usable at all (MLflow's AbstractStore, camelCase). */
export const TRACKING_STORE_METHODS = [
  'createExperiment', 'getExperiment', 'getExperimentByName', 'searchExperiments', 'createRun', 'getRun',
  'updateRunInfo', 'deleteRun', 'restoreRun', 'logBatch', 'getMetricHistory', 'searchRuns',
] as const;
export const ARTIFACT_REPOSITORY_METHODS = ['logArtifact', 'logArtifacts', 'listArtifacts', 'downloadArtifact', 'deleteArtifacts'] as const;
export const MODEL_REGISTRY_METHODS = [
  'createRegisteredModel', 'getRegisteredModel', 'searchRegisteredModels', 'deleteRegisteredModel',
  'createModelVersion', 'getModelVersion',
] as const;

const factory = (group: string, what: string, instance?: Adapter['instance']): Adapter => ({
  group,
  expected: `a factory function (${what})`,
  acceptsFunction: true,
  isFactory: true,
  ...(instance ? { instance } : {}),
});

/** The eleven stable groups of API v1 and their contracts; any other group accepts any export. */
export const STABLE_ADAPTERS: Readonly<Record<string, Adapter>> = Object.freeze({
  'codex_ml.metrics': {
    group: 'codex_ml.metrics',
    expected: 'a function (predictions, references, options?) or an accumulator { init, update, merge, finalize }',
    acceptsFunction: true,
    // `options` is the metric's declared option list, read by forms, help texts and docs.
    functionSchema: z.looseObject({ ...CommonFields, options: z.optional(MetricOptionsSchema), prepare: z.optional(FunctionSchema) }),
    objectSchema: methodsSchema(ACCUMULATOR_METHODS, { options: z.optional(MetricOptionsSchema), prepare: z.optional(FunctionSchema) }),
    isFactory: false,
  },
  'codex_ml.data_loaders': {
    group: 'codex_ml.data_loaders',
    expected: 'a function (source, options?) returning an AsyncIterable of records',
    acceptsFunction: true,
    isFactory: false,
  },
  'codex_ml.tokenizers': factory('codex_ml.tokenizers', '(config) => { encode, decode }', {
    expected: 'a tokenizer { encode, decode }',
    schema: methodsSchema(['encode', 'decode']),
  }),
  'codex_ml.models': factory('codex_ml.models', '(config) => Promise<[model, tokenizer | null]>', {
    expected: 'a pair [model, tokenizer | null]',
    schema: z.tuple([z.unknown(), z.union([methodsSchema(['encode', 'decode']), z.null()])]),
  }),
  'codex_ml.trainers': {
    group: 'codex_ml.trainers',
    expected: 'a function (config, { model, data, tracking }) => Promise<result>',
    acceptsFunction: true,
    isFactory: false,
  },
  'codex_ml.plugins': {
    group: 'codex_ml.plugins',
    expected: 'an object { activate(host) }',
    acceptsFunction: false,
    objectSchema: methodsSchema(['activate']),
    isFactory: false,
  },
  'mlflow.tracking_store': factory('mlflow.tracking_store', '(uri) => TrackingStore', {
    expected: 'a tracking store',
    schema: methodsSchema(TRACKING_STORE_METHODS),
  }),
  'mlflow.artifact_repository': factory('mlflow.artifact_repository', '(artifactUri) => ArtifactRepository', {
    expected: 'an artifact repository',
    schema: methodsSchema(ARTIFACT_REPOSITORY_METHODS),
  }),
  'mlflow.run_context_provider': {
    group: 'mlflow.run_context_provider',
    expected: 'an object { inContext(), tags() }',
    acceptsFunction: false,
    objectSchema: methodsSchema(['inContext', 'tags']),
    isFactory: false,
  },
  'mlflow.request_header_provider': {
    group: 'mlflow.request_header_provider',
    expected: 'an object { inContext(), requestHeaders() }',
    acceptsFunction: false,
    objectSchema: methodsSchema(['inContext', 'requestHeaders']),
    isFactory: false,
  },
  'mlflow.model_registry_store': factory('mlflow.model_registry_store', '(uri) => ModelRegistryStore', {
    expected: 'a model registry store',
    schema: methodsSchema(MODEL_REGISTRY_METHODS),
  }),
});

/** Returns the adapter of a stable group, or undefined for a custom group. */
export function adapterFor(group: string): Adapter | undefined {
  return Object.hasOwn(STABLE_ADAPTERS, group) ? STABLE_ADAPTERS[group] : undefined;
}
