import { Tokenizer as LibraryTokenizer } from '@huggingface/tokenizers';
import { defineTokenizer, type Tokenizer } from 'plugboard/sdk';
import { readJson } from './read-model.ts';
import { tokenizerError } from './tokenizer-error.ts';

/** Config of the `hf` tokenizer. */
export interface HfConfig {
  /** tokenizer.json: the parsed object, or a URL / file path (Node) / Blob to read it from. */
  tokenizer: unknown;
  /** tokenizer_config.json, the same ways; optional. */
  tokenizerConfig?: unknown;
  /** Add the special tokens of the post-processor (`[CLS] … [SEP]`) on encode; default true, as in Python. */
  addSpecialTokens?: boolean;
  /** Leave special tokens out on decode; default true, as in Python's `tokenizers`. */
  skipSpecialTokens?: boolean;
  /** Tidy spaces before punctuation on decode; default tokenizer_config's value, else false (Python `tokenizers`). */
  cleanUpTokenizationSpaces?: boolean;
}

/** An `hf` tokenizer: `encode`/`decode` plus `tokenize` (the token strings) and the vocabulary size. */
export interface HfTokenizer extends Tokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  tokenize(text: string): string[];
  readonly vocabularySize: number;
}

/**
 * The `hf` tokenizer: a Hugging Face tokenizer built from its tokenizer.json by @huggingface/tokenizers
 * (BPE, WordPiece, Unigram with their normalizers, pre-tokenizers, post-processors and decoders; about
 * 12 KB gzip, loaded with this plugin's module and never before). Encodes and decodes with Python `tokenizers`' defaults. Throws
 * `TOKENIZER_BAD_MODEL` when the JSON is not a tokenizer the library can build.
 */
export const hf = defineTokenizer(async (config: HfConfig): Promise<HfTokenizer> => {
  if (config === null || typeof config !== 'object' || config.tokenizer === undefined) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_CONFIG',
      plugin: 'hf',
      field: 'tokenizer',
      problem: 'the config has no tokenizer (the tokenizer.json object, or where to read it)',
      hint: 'Pass { tokenizer: "https://huggingface.co/<model>/resolve/main/tokenizer.json" } or the parsed JSON.',
    });
  }
  const [json, tokenizerConfig] = await Promise.all([
    readJson(config.tokenizer, 'hf', 'tokenizer'),
    config.tokenizerConfig === undefined ? Promise.resolve<Record<string, unknown>>({}) : readJson(config.tokenizerConfig, 'hf', 'tokenizerConfig'),
  ]);
  let tokenizer: LibraryTokenizer;
  try {
    tokenizer = new LibraryTokenizer(json, tokenizerConfig);
  } catch (thrown) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_MODEL',
      plugin: 'hf',
      field: 'tokenizer',
      problem: `tokenizer.json cannot be built (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: 'Use a tokenizer.json saved by the tokenizers library (Tokenizer.save or save_pretrained).',
      cause: thrown,
    });
  }
  const addSpecialTokens = config.addSpecialTokens ?? true;
  const decodeOptions = {
    skip_special_tokens: config.skipSpecialTokens ?? true,
    clean_up_tokenization_spaces: config.cleanUpTokenizationSpaces ?? (tokenizerConfig.clean_up_tokenization_spaces as boolean | undefined) ?? false,
  };
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: addSpecialTokens }).ids,
    // The library refuses an empty list; decoding no ids is the empty text.
    decode: (ids) => (ids.length === 0 ? '' : tokenizer.decode([...ids], decodeOptions)),
    tokenize: (text) => tokenizer.encode(text, { add_special_tokens: addSpecialTokens }).tokens,
    vocabularySize: tokenizer.get_vocab(true).size,
  };
});
