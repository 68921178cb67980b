// Perplexity of texts under a causal language model, as Hugging Face evaluate's `perplexity` metric computes it.
import type { CausalLanguageModel, ModelTokenizer } from '../models/index.ts';
// The inner file, not the models' door: the door's loader is imported only when a model is asked for.
import { logSoftmaxAt } from '../models/log-softmax.ts';
import { metricError } from './metric-error.ts';

/** evaluate's options (its names and defaults; `max_length` null means no truncation). */
export interface ModelPerplexityOptions {
  model_id: string;
  batch_size: number;
  add_start_token: boolean;
  max_length: number | null;
}

/** evaluate's result: one perplexity per text, in order, and their arithmetic mean. */
export interface ModelPerplexityResult {
  perplexities: number[];
  mean_perplexity: number;
}

/** The special-token roles in the order transformers lists them; evaluate pads with the first one a tokenizer has. */
const SPECIAL_ROLES = ['bos', 'eos', 'unk', 'sep', 'pad', 'cls', 'mask'] as const;

/** The model id evaluate's examples use, which names GPT-2 small: the built-in factory's own model. */
const GPT2_ALIAS = 'gpt2';

/**
 * Loads `model_id` through the built-in `gpt2` factory (transformers.js, imported only now). A model_id of
 * "gpt2" is the factory's default GPT-2 (the Hub's "gpt2" repository has no ONNX weights).
 */
export async function loadCausalModel(metric: string, modelId: string): Promise<[CausalLanguageModel, ModelTokenizer]> {
  const { gpt2 } = await import('../models/index.ts');
  try {
    return await gpt2(modelId === GPT2_ALIAS ? {} : { model_name: modelId });
  } catch (thrown) {
    const error = thrown as { problem?: unknown; hint?: unknown; code?: unknown };
    if (typeof error.problem !== 'string') throw thrown;
    throw Object.assign(metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `model_id ${JSON.stringify(modelId)}: ${error.problem}.`,
      hint: typeof error.hint === 'string' ? error.hint : 'Pass the Hub id, URL or folder of a causal language model.',
      field: 'options.model_id',
    }), { cause: thrown });
  }
}

/**
 * Computes evaluate's `perplexity` over `texts`, step for step as its `_compute` does: the texts are
 * tokenized without special tokens, truncated to `max_length` (one less when a start token is added),
 * padded to the longest text of all, and run `batch_size` at a time; the start token (bos) is put before
 * each row when `add_start_token` is set; each text's perplexity is `exp` of the mean cross-entropy over
 * its real next tokens. A tokenizer without a pad token pads with its first special token, as evaluate does
 * (padding is masked out, so the id never shows in a result). Throws METRIC_INPUT naming the row when a
 * text is too short to score (empty with a start token, one token without) and METRIC_OPTION when
 * `add_start_token` is set with `max_length` and the tokenizer has no start token.
 */
export async function modelPerplexity(
  metric: string,
  model: CausalLanguageModel,
  tokenizer: ModelTokenizer,
  texts: readonly string[],
  options: ModelPerplexityOptions,
): Promise<ModelPerplexityResult> {
  const bos = tokenizer.specialTokens.bos;
  if (options.add_start_token && options.max_length !== null && bos === undefined) {
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: 'add_start_token needs a model whose tokenizer has a start (bos) token, and this one has none.',
      hint: 'Use another model, or pass add_start_token: false.',
      field: 'options.add_start_token',
    });
  }
  const maxTokens = options.add_start_token && options.max_length !== null ? options.max_length - 1 : options.max_length;
  const encoded = texts.map((text) => {
    const ids = tokenizer.encode(text, { addSpecialTokens: false });
    // A limit of 0 (max_length 1 with a start token) means no truncation, as `truncation=True if 0 else False` does upstream.
    return maxTokens ? ids.slice(0, maxTokens) : ids;
  });
  const shortest = options.add_start_token ? 1 : 2;
  encoded.forEach((ids, row) => {
    if (ids.length >= shortest) return;
    throw metricError(metric, {
      code: 'METRIC_INPUT',
      problem: options.add_start_token
        ? `row ${row}: each text must be at least one token long, and this one has none.`
        : `row ${row}: with add_start_token false each text must be at least two tokens long, and this one has ${ids.length}.`,
      hint: options.add_start_token ? 'Remove empty texts.' : 'Pass add_start_token: true to score one-token texts, and remove empty ones.',
      field: `predictions[${row}]`,
    });
  });
  const width = Math.max(0, ...encoded.map((ids) => ids.length));
  const pad = tokenizer.specialTokens.pad ?? SPECIAL_ROLES.map((role) => tokenizer.specialTokens[role]).find((id) => id !== undefined) ?? 0;
  const rows = encoded.map((ids) => {
    const padding = new Array<number>(width - ids.length);
    return tokenizer.paddingSide === 'left'
      ? { ids: [...padding.fill(pad), ...ids], mask: [...padding.fill(0), ...ids.map(() => 1)] }
      : { ids: [...ids, ...padding.fill(pad)], mask: [...ids.map(() => 1), ...padding.fill(0)] };
  });

  const perplexities: number[] = [];
  for (let start = 0; start < rows.length; start += options.batch_size) {
    let batch = rows.slice(start, start + options.batch_size);
    if (options.add_start_token && bos !== undefined) batch = batch.map((row) => ({ ids: [bos, ...row.ids], mask: [1, ...row.mask] }));
    const { logits, dims } = await model.forward(batch.map((row) => row.ids), batch.map((row) => row.mask));
    const [, length, vocabulary] = dims;
    batch.forEach((row, index) => {
      let loss = 0;
      let count = 0;
      for (let position = 0; position + 1 < length; position++) {
        if (row.mask[position + 1] === 0) continue;
        loss -= logSoftmaxAt(logits, (index * length + position) * vocabulary, vocabulary, row.ids[position + 1]!);
        count++;
      }
      perplexities.push(Math.exp(loss / count));
    });
  }
  const mean = perplexities.reduce((total, value) => total + value, 0) / perplexities.length;
  return { perplexities, mean_perplexity: mean };
}
