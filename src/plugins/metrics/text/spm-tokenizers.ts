// sacreBLEU's SentencePiece tokenizers (flores101, flores200: sacrebleu/tokenizers/tokenizer_spm.py), run by
// the built-in `sentencepiece` tokenizer plugin on a model the caller names. Loading is asynchronous
// (the model file, the WebAssembly library) while a metric's update is not, so a metric loads here first
// (its `prepare`) and tokenizes synchronously afterwards.
import { metricError } from '../metric-error.ts';
import type { SentencePieceTokenizer } from '../../tokenizers/index.ts';

const loading = new Map<string, Promise<SentencePieceTokenizer>>();
const loaded = new Map<string, SentencePieceTokenizer>();

/**
 * Loads (once per model location) the SentencePiece model at `model` — a URL, or a file path in Node —
 * through the `sentencepiece` tokenizer plugin, which is imported only now. A failed load is forgotten,
 * so a later call tries again; its error is the tokenizer plugin's, stamped with `metric`'s name.
 */
export async function loadSpmModel(metric: string, model: string): Promise<void> {
  if (loaded.has(model)) return;
  let pending = loading.get(model);
  if (pending === undefined) {
    pending = import('../../tokenizers/sentencepiece.ts').then(({ sentencepiece }) => sentencepiece({ model }));
    loading.set(model, pending);
  }
  try {
    loaded.set(model, await pending);
  } catch (cause) {
    loading.delete(model);
    const problem = cause instanceof Error && 'problem' in cause ? String((cause as { problem: unknown }).problem) : String(cause);
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `the SentencePiece model ${JSON.stringify(model)} cannot be used: ${problem}.`,
      hint: 'Pass spm_model: the URL (or, in Node, the path) of a SentencePiece .model file.',
      field: 'options.spm_model',
    });
  } finally {
    if (loaded.has(model)) loading.delete(model);
  }
}

/** Throws METRIC_STATE unless the model at `model` was loaded with `loadSpmModel` (a metric's `prepare`); returns its tokenizer. */
export function requireSpmModel(metric: string, model: string, tokenize: string): SentencePieceTokenizer {
  const tokenizer = loaded.get(model);
  if (tokenizer === undefined) {
    throw metricError(metric, {
      code: 'METRIC_STATE',
      problem: `tokenize "${tokenize}" needs its SentencePiece model ${JSON.stringify(model)} loaded before init or update.`,
      hint: `Await ${metric}.prepare(options) first (host.evaluate and computeMetric do it).`,
      field: 'options.spm_model',
    });
  }
  return tokenizer;
}

/**
 * Tokenizes `line` as sacreBLEU's TokenizerSPM: the model's pieces joined by spaces. Throws METRIC_STATE
 * when the model was not loaded first (see `requireSpmModel`).
 */
export function tokenizeSpm(metric: string, model: string, tokenize: string, line: string): string {
  return requireSpmModel(metric, model, tokenize).tokenize(line).join(' ');
}
