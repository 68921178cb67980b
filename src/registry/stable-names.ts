// The stable names of API v1. A stable name is removed only after a deprecation cycle of two minor releases.

/** The kinds that have stable names, and the group each kind lives in. */
export const STABLE_KINDS = {
  metrics: 'codex_ml.metrics',
  models: 'codex_ml.models',
  data_loaders: 'codex_ml.data_loaders',
  tokenizers: 'codex_ml.tokenizers',
  trainers: 'codex_ml.trainers',
} as const;
export type StableKind = keyof typeof STABLE_KINDS;

const STABLE_NAMES: Record<StableKind, Record<string, string>> = {
  metrics: {
    accuracy: 'Fraction of rows whose prediction equals the reference (scikit-learn accuracy_score).',
    bleu: 'Corpus BLEU as sacreBLEU 2.x computes it: 13a tokenizer, exponential smoothing, 4-grams, 0–100.',
    chrf: 'Character n-gram F-score (chrF, β=2, 6-grams) as sacreBLEU computes it, 0–100.',
    exact_match: 'Rate of predictions equal to their reference after optional normalisation (Hugging Face evaluate exact_match).',
    f1: 'F1 score for classification: binary, micro, macro or weighted averaging (scikit-learn f1_score).',
    ppl: 'Perplexity: exp of the mean negative log-likelihood over all tokens.',
    rouge: 'ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum F-measures as Google’s rouge_score computes them.',
    squad: 'SQuAD v1.1 exact match and token F1, 0–100, best over the gold answers.',
    ter: 'Translation edit rate (TER) as sacreBLEU computes it, 0–100, lower is better.',
    token_accuracy: 'Fraction of token positions where prediction equals reference, ignoring positions labelled -100.',
  },
  models: {
    bert_base_uncased: 'BERT base, uncased: a 12-layer encoder with a WordPiece tokenizer.',
    gpt2: 'GPT-2 small: a 12-layer causal language model with a byte-level BPE tokenizer.',
    minilm: 'MiniLM: a small sentence-embedding encoder.',
  },
  data_loaders: {
    csv: 'Comma-separated values with a header row (RFC 4180 quoting), streamed.',
    jsonl: 'One JSON object per line, streamed.',
    lines: 'One record { text } per line of a text file, streamed.',
    parquet: 'Apache Parquet files, row groups streamed.',
  },
  tokenizers: {
    hf: 'A Hugging Face tokenizer built from its tokenizer.json.',
    sentencepiece: 'A SentencePiece model.',
  },
  trainers: {
    functional: 'A training loop with plain options (epochs, batch size, learning rate, seed, early stopping) over a model and data.',
    hf_trainer: 'A trainer with the options of Hugging Face’s Trainer.',
  },
};

/** Accepts a kind (`metrics`) or its group (`codex_ml.metrics`). */
function kindOf(kindOrGroup: string): StableKind | undefined {
  if (Object.hasOwn(STABLE_NAMES, kindOrGroup)) return kindOrGroup as StableKind;
  const entry = Object.entries(STABLE_KINDS).find(([, group]) => group === kindOrGroup);
  return entry?.[0] as StableKind | undefined;
}

/** Every stable name, by kind, each list sorted. */
export function getAllStableNames(): Record<StableKind, string[]> {
  return Object.fromEntries(
    Object.entries(STABLE_NAMES).map(([kind, names]) => [kind, Object.keys(names).sort()]),
  ) as Record<StableKind, string[]>;
}

/** Whether `name` is a stable name of `kind` (a kind such as `metrics`, or its group). Case-sensitive. */
export function isStableName(kindOrGroup: string, name: string): boolean {
  const kind = kindOf(kindOrGroup);
  return kind !== undefined && Object.hasOwn(STABLE_NAMES[kind], name);
}

/** The description of a stable name; undefined when the name is not stable. */
export function getDescription(kindOrGroup: string, name: string): string | undefined {
  const kind = kindOf(kindOrGroup);
  return kind !== undefined && Object.hasOwn(STABLE_NAMES[kind], name) ? STABLE_NAMES[kind][name] : undefined;
}
