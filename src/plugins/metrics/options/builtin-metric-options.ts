// The declared options of every built-in metric, in one table: the metrics validate with it, and the CLI's
// help, the page's forms and docs/METRICS.md are generated from it. Names follow each metric's Python
// reference (sacreBLEU, Hugging Face evaluate, scikit-learn, rouge_score, TRL).
import type { MetricOption } from '../../../adapters/index.ts';

const BLEU = [
  { name: 'lowercase', type: 'boolean', default: false, description: 'Lowercase hypotheses and references before tokenizing.' },
  { name: 'tokenize', type: 'enum', default: '13a', choices: ['13a', 'none', 'intl', 'zh', 'char', 'flores101', 'flores200'], description: 'sacreBLEU tokenizer applied to hypotheses and references ("none" splits on whitespace only; flores101 and flores200 need spm_model).' },
  { name: 'smooth_method', type: 'enum', default: 'exp', choices: ['exp', 'floor', 'add-k', 'none'], description: 'Smoothing of zero n-gram precisions.' },
  { name: 'smooth_value', type: 'number', default: null, min: 0, description: 'The smoothing value; not set, 0.1 for "floor" and 1 for "add-k".' },
  { name: 'max_ngram_order', type: 'integer', default: 4, min: 1, max: 16, description: 'The largest n-gram order counted.' },
  { name: 'effective_order', type: 'boolean', default: null, description: 'Skip n-gram orders with no matches; not set, off for the corpus score and on for sentence scores.' },
  { name: 'sentence', type: 'boolean', default: false, description: 'Also return one sentence_bleu score per row (as "sentences").' },
  { name: 'spm_model', type: 'string', default: null, description: 'For tokenize flores101/flores200: the URL (a path in Node) of the SentencePiece .model file to tokenize with.' },
] as const satisfies readonly MetricOption[];

const CHRF = [
  { name: 'char_order', type: 'integer', default: 6, min: 0, max: 32, description: 'The largest character n-gram order.' },
  { name: 'word_order', type: 'integer', default: 0, min: 0, max: 16, description: 'The largest word n-gram order (2 gives chrF++).' },
  { name: 'beta', type: 'number', default: 2, min: 0, description: 'Weight of recall against precision.' },
  { name: 'lowercase', type: 'boolean', default: false, description: 'Lowercase hypotheses and references first.' },
  { name: 'whitespace', type: 'boolean', default: false, description: 'Keep whitespace in character n-grams (by default it is deleted).' },
  { name: 'eps_smoothing', type: 'boolean', default: false, description: 'Use the epsilon smoothing of chrF++.py and Moses instead of sacreBLEU\u2019s effective order.' },
] as const satisfies readonly MetricOption[];

const TER = [
  { name: 'normalized', type: 'boolean', default: false, description: 'Normalise like Tercom: join hyphenated line ends, unescape XML entities and split punctuation off words.' },
  { name: 'no_punct', type: 'boolean', default: false, description: 'Delete the punctuation . , ? : ; ! " ( ) (and CJK punctuation with asian_support).' },
  { name: 'asian_support', type: 'boolean', default: false, description: 'With normalized, split CJK characters apart; with no_punct, also delete CJK and full-width punctuation.' },
  { name: 'case_sensitive', type: 'boolean', default: false, description: 'Keep case (by default both texts are lowercased).' },
] as const satisfies readonly MetricOption[];

const EXACT_MATCH = [
  { name: 'regexes_to_ignore', type: 'string-list', default: null, description: 'Regular expressions whose matches are deleted from both strings, in order, before the other steps.' },
  { name: 'ignore_case', type: 'boolean', default: false, description: 'Lowercase both strings.' },
  { name: 'ignore_punctuation', type: 'boolean', default: false, description: 'Delete the ASCII punctuation characters of Python\u2019s string.punctuation.' },
  { name: 'ignore_numbers', type: 'boolean', default: false, description: 'Delete the ASCII digits 0\u20139.' },
] as const satisfies readonly MetricOption[];

const F1 = [
  { name: 'average', type: 'enum', default: 'binary', choices: ['binary', 'micro', 'macro', 'weighted'], description: 'How per-label F1 scores combine ("binary" reports the F1 of pos_label).' },
  { name: 'pos_label', type: 'label', default: 1, description: 'The positive class for "binary", exactly as it appears in the data.' },
] as const satisfies readonly MetricOption[];

const ROUGE = [
  { name: 'use_stemmer', type: 'boolean', default: false, description: 'Apply NLTK\u2019s Porter stemmer to tokens longer than 3 characters.' },
] as const satisfies readonly MetricOption[];

const TOKEN_ACCURACY = [
  { name: 'ignore_index', type: 'integer', default: -100, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, description: 'The reference label whose positions are not counted.' },
] as const satisfies readonly MetricOption[];

const PPL = [
  { name: 'model_id', type: 'string', default: null, description: 'A causal language model (Hub id, model folder URL or path; "gpt2" is the built-in gpt2): score the predictions as texts, as Hugging Face evaluate\u2019s perplexity does. Not set: predictions are token log-probabilities.' },
  { name: 'batch_size', type: 'integer', default: 16, min: 1, description: 'Texts per model call (with model_id).' },
  { name: 'add_start_token', type: 'boolean', default: true, description: 'Put the start (bos) token before each text, so its first token is scored too (with model_id).' },
  { name: 'max_length', type: 'integer', default: null, min: 1, description: 'Truncate each text to this many tokens, the start token included (with model_id); not set, no truncation.' },
] as const satisfies readonly MetricOption[];

const EMBEDDING_SIMILARITY = [
  { name: 'model', type: 'enum', default: 'minilm', choices: ['minilm', 'bert_base_uncased'], description: 'The built-in encoder that embeds both texts.' },
  { name: 'model_id', type: 'string', default: null, description: 'The encoder\u2019s model (Hub id, model folder URL or path); not set, the factory\u2019s default.' },
  { name: 'batch_size', type: 'integer', default: 32, min: 1, description: 'Texts per model call.' },
] as const satisfies readonly MetricOption[];

/** The option declarations of the built-in metrics, keyed by metric name (an empty list: no options). */
export const BUILTIN_METRIC_OPTIONS = {
  accuracy: [],
  f1: F1,
  exact_match: EXACT_MATCH,
  squad: [],
  bleu: BLEU,
  chrf: CHRF,
  ter: TER,
  rouge: ROUGE,
  ppl: PPL,
  embedding_similarity: EMBEDDING_SIMILARITY,
  token_accuracy: TOKEN_ACCURACY,
} as const satisfies Readonly<Record<string, readonly MetricOption[]>>;
