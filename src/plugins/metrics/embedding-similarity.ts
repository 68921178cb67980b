/**
 * `embedding_similarity`: how close each prediction is in meaning to its reference — the cosine similarity
 * of their sentence embeddings from a built-in encoder (`minilm` by default, or `bert_base_uncased`),
 * mean-pooled over real tokens and scaled to unit length as sentence-transformers does. The result is
 * `{ score, scores }`: the mean over rows and one similarity per row, each in [−1, 1]. The accumulator
 * gathers the texts; `finalize` loads the encoder (transformers.js, imported only then), embeds and
 * returns a promise, recording the encoder through the context's `recordModel` (its folder and files' digests
 * go into the run, not the result). With no rows `score` is NaN. A row whose prediction or reference is not a string throws
 * naming the row.
 */
import { defineMetric, type MetricContext } from 'plugboard/sdk';
import type { EncoderModel } from '../models/index.ts';
import { checkBatch } from './check-batch.ts';
import { metricError, showValue } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { readOptions, type OptionValues } from './read-options.ts';

const NAME = 'embedding_similarity';

type Options = OptionValues<typeof BUILTIN_METRIC_OPTIONS.embedding_similarity>;

/** The state: the options and every row's two texts, in order. */
export interface EmbeddingSimilarityState {
  options: Options;
  predictions: string[];
  references: string[];
}

/** The result: the mean similarity and one per row. */
export interface EmbeddingSimilarityResult {
  score: number;
  scores: number[];
}

function readText(value: unknown, field: string, row: number): string {
  if (typeof value === 'string') return value;
  throw metricError(NAME, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: the ${field === 'predictions' ? 'prediction' : 'reference'} must be a text, received ${showValue(value)}.`,
    hint: 'Give each row a prediction text and a reference text.',
    field: `${field}[${row}]`,
  });
}

/** The `embedding_similarity` metric plugin (an accumulator whose `finalize` resolves asynchronously). */
export const embeddingSimilarity = defineMetric({
  description: 'Cosine similarity of prediction and reference sentence embeddings (mean-pooled, normalised) from a built-in encoder.',
  options: BUILTIN_METRIC_OPTIONS.embedding_similarity,
  init(options?: Record<string, unknown>): EmbeddingSimilarityState {
    return { options: readOptions(NAME, BUILTIN_METRIC_OPTIONS.embedding_similarity, options), predictions: [], references: [] };
  },
  update(state: EmbeddingSimilarityState, batch: { predictions: readonly unknown[]; references: readonly unknown[] }): EmbeddingSimilarityState {
    const { predictions, references } = checkBatch(NAME, batch);
    const first = state.predictions.length;
    predictions.forEach((value, index) => state.predictions.push(readText(value, 'predictions', first + index)));
    references.forEach((value, index) => state.references.push(readText(value, 'references', first + index)));
    return state;
  },
  merge(a: EmbeddingSimilarityState, b: EmbeddingSimilarityState): EmbeddingSimilarityState {
    return { options: a.options, predictions: [...a.predictions, ...b.predictions], references: [...a.references, ...b.references] };
  },
  finalize(state: EmbeddingSimilarityState, _options?: Record<string, unknown>, context?: MetricContext): Promise<EmbeddingSimilarityResult> {
    return scoreRows(state, context);
  },
});

async function scoreRows(state: EmbeddingSimilarityState, context: MetricContext | undefined): Promise<EmbeddingSimilarityResult> {
  if (state.predictions.length === 0) return { score: Number.NaN, scores: [] };
  const encoder = await loadEncoder(state.options);
  try {
    context?.recordModel(encoder.provenance);
    const options = { batchSize: state.options.batch_size };
    const predicted = await encoder.embed(state.predictions, options);
    const referenced = await encoder.embed(state.references, options);
    const scores = predicted.map((vector, row) => vector.reduce((sum, value, unit) => sum + value * referenced[row]![unit]!, 0));
    return { score: scores.reduce((sum, value) => sum + value, 0) / scores.length, scores };
  } finally {
    await encoder.dispose();
  }
}

async function loadEncoder(options: Options): Promise<EncoderModel> {
  const factories = await import('../models/index.ts');
  const factory = options.model === 'minilm' ? factories.minilm : factories.bertBaseUncased;
  try {
    const [model] = await factory(options.model_id === null ? {} : { model_name: options.model_id });
    return model;
  } catch (thrown) {
    const error = thrown as { problem?: unknown; hint?: unknown };
    if (typeof error.problem !== 'string') throw thrown;
    throw Object.assign(metricError(NAME, {
      code: 'METRIC_OPTION',
      problem: `model ${options.model}${options.model_id === null ? '' : ` (model_id ${JSON.stringify(options.model_id)})`}: ${error.problem}.`,
      hint: typeof error.hint === 'string' ? error.hint : 'Pass model_id naming an encoder model folder.',
      field: options.model_id === null ? 'options.model' : 'options.model_id',
    }), { cause: thrown });
  }
}
