/**
 * `ppl`: perplexity from per-token natural-log probabilities. A row's prediction is the array of its
 * target tokens' log-probabilities `log p(x_i | x_<i)` (≤ 0); references are ignored and may be absent.
 * - `score` is the corpus (token-weighted) perplexity `exp(−Σ_i log p_i / N)` over all N tokens of all
 *   rows — not the Trainer-style `exp(mean of batch losses)`;
 * - `mean_per_sequence` is the arithmetic mean over rows with at least one token of each row's own
 *   `exp(−mean log p)`, what Hugging Face evaluate's `perplexity` reports as `mean_perplexity`;
 * - `nll` is the mean negative log-likelihood per token and `tokens` is N.
 * With no tokens every value is NaN (perplexity is undefined, not 1). A log-probability of −Infinity makes
 * `score` Infinity. A value above 0, NaN or a non-number throws: pass log-probabilities, not losses. The
 * sums are kept exactly, so merged halves give the same bits as the whole.
 *
 * With the option `model_id`, ppl is Hugging Face evaluate's `perplexity` instead: each prediction is a
 * text, scored by that causal language model (see model-perplexity.ts for the exact steps and the options
 * `batch_size`, `add_start_token`, `max_length`), and the result is evaluate's
 * `{ perplexities, mean_perplexity }`. `finalize` then returns a promise; the model is loaded only then, and
 * recorded through the context's `recordModel` (its folder and files' digests go into the run, not the result).
 */
import { defineMetric, type MetricContext } from 'plugboard/sdk';
import { checkBatch } from './check-batch.ts';
import { addToExactSum, createExactSum, mergeExactSums, roundExactSum } from './exact-sum.ts';
import type { ExactSum } from './exact-sum.ts';
import { metricError, showValue } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { readOptions, type OptionValues } from './read-options.ts';
import { loadCausalModel, modelPerplexity, type ModelPerplexityResult } from './model-perplexity.ts';

/** The ppl state: exact sums of token log-probabilities and of per-row perplexities, with counts. */
export interface PplState {
  rows: number;
  tokens: number;
  logProbability: ExactSum;
  sequences: number;
  sequencePerplexity: ExactSum;
  /** Set with `model_id`: the options and the texts gathered so far, scored at `finalize`. */
  model?: { options: OptionValues<typeof BUILTIN_METRIC_OPTIONS.ppl> & { model_id: string }; texts: string[] };
}

/** The ppl result. */
export interface PplResult {
  score: number;
  mean_per_sequence: number;
  nll: number;
  tokens: number;
}

const NAME = 'ppl';

function readLogProbabilities(value: unknown, row: number): readonly number[] {
  if (!Array.isArray(value)) {
    throw metricError(NAME, {
      code: 'METRIC_INPUT',
      problem: `row ${row}: the prediction must be an array of token log-probabilities, received ${showValue(value)}.`,
      hint: 'Give each row the natural-log probabilities of its target tokens, e.g. [-0.1, -2.3].',
      field: `predictions[${row}]`,
    });
  }
  for (let position = 0; position < value.length; position++) {
    const item: unknown = value[position];
    if (typeof item !== 'number' || Number.isNaN(item) || item > 0) {
      throw metricError(NAME, {
        code: 'METRIC_INPUT',
        problem: `row ${row}, token ${position}: a log-probability must be a number ≤ 0, received ${showValue(item)}.`,
        hint: 'Pass natural-log probabilities (≤ 0), not negative log-likelihoods or probabilities.',
        field: `predictions[${row}][${position}]`,
      });
    }
  }
  return value as number[];
}

/** The `ppl` metric plugin (an accumulator; result `{ score, mean_per_sequence, nll, tokens }`). */
export const ppl = defineMetric({
  description: 'Perplexity: exp of the mean negative log-likelihood over all tokens.',
  options: BUILTIN_METRIC_OPTIONS.ppl,
  init(options?: Record<string, unknown>): PplState {
    const values = readOptions(NAME, BUILTIN_METRIC_OPTIONS.ppl, options);
    const state: PplState = { rows: 0, tokens: 0, logProbability: createExactSum(), sequences: 0, sequencePerplexity: createExactSum() };
    if (values.model_id !== null) return { ...state, model: { options: { ...values, model_id: values.model_id }, texts: [] } };
    for (const option of BUILTIN_METRIC_OPTIONS.ppl) {
      if (option.name === 'model_id' || values[option.name] === option.default) continue;
      throw metricError(NAME, {
        code: 'METRIC_OPTION',
        problem: `option "${option.name}" applies only when model_id names a model, and none is given.`,
        hint: 'Pass model_id to score texts with a language model, or leave the option out to score token log-probabilities.',
        field: `options.${option.name}`,
      });
    }
    return state;
  },
  update(state: PplState, batch: { predictions: readonly unknown[]; references?: readonly unknown[] }): PplState {
    const { predictions } = checkBatch(NAME, batch, false);
    if (state.model) {
      predictions.forEach((text, index) => {
        if (typeof text === 'string') return;
        throw metricError(NAME, {
          code: 'METRIC_INPUT',
          problem: `row ${state.rows + index}: with model_id the prediction must be a text, received ${showValue(text)}.`,
          hint: 'Give each row its text, or leave model_id out to pass token log-probabilities.',
          field: `predictions[${state.rows + index}]`,
        });
      });
      state.model.texts.push(...(predictions as string[]));
      state.rows += predictions.length;
      return state;
    }
    for (let index = 0; index < predictions.length; index++) {
      const logProbabilities = readLogProbabilities(predictions[index], state.rows + index);
      if (logProbabilities.length === 0) continue;
      const row = createExactSum();
      for (const value of logProbabilities) {
        addToExactSum(row, value);
        addToExactSum(state.logProbability, value);
      }
      state.tokens += logProbabilities.length;
      state.sequences++;
      addToExactSum(state.sequencePerplexity, Math.exp(-roundExactSum(row) / logProbabilities.length));
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: PplState, b: PplState): PplState {
    if (a.model || b.model) {
      const options = (a.model ?? b.model)!.options;
      return { ...a, rows: a.rows + b.rows, model: { options, texts: [...(a.model?.texts ?? []), ...(b.model?.texts ?? [])] } };
    }
    return {
      rows: a.rows + b.rows,
      tokens: a.tokens + b.tokens,
      logProbability: mergeExactSums(a.logProbability, b.logProbability),
      sequences: a.sequences + b.sequences,
      sequencePerplexity: mergeExactSums(a.sequencePerplexity, b.sequencePerplexity),
    };
  },
  finalize(state: PplState, _options?: Record<string, unknown>, context?: MetricContext): PplResult | Promise<ModelPerplexityResult> {
    if (state.model) return scoreTexts(state.model.options, state.model.texts, context);
    if (state.tokens === 0) return { score: Number.NaN, mean_per_sequence: Number.NaN, nll: Number.NaN, tokens: 0 };
    const nll = -roundExactSum(state.logProbability) / state.tokens;
    return {
      score: Math.exp(nll),
      mean_per_sequence: roundExactSum(state.sequencePerplexity) / state.sequences,
      nll,
      tokens: state.tokens,
    };
  },
});

async function scoreTexts(options: NonNullable<PplState['model']>['options'], texts: readonly string[], context: MetricContext | undefined): Promise<ModelPerplexityResult> {
  const [model, tokenizer] = await loadCausalModel(NAME, options.model_id);
  try {
    context?.recordModel(model.provenance);
    return await modelPerplexity(NAME, model, tokenizer, texts, options);
  } finally {
    await model.dispose();
  }
}
