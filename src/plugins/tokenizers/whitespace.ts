import { defineTokenizer, type Tokenizer } from 'plugboard/sdk';
import { Vocabulary, type VocabularyInput } from './vocabulary.ts';

/** Config of the `whitespace` tokenizer. */
export interface WhitespaceConfig {
  /** A fixed vocabulary; without one, each new word takes the next id. */
  vocab?: VocabularyInput;
  /** The token unknown words map to in a fixed vocabulary; default `[UNK]`. */
  unknownToken?: string;
  /** Lower-case the text before splitting; default false. */
  lowercase?: boolean;
}

/** Python's `str.split()` white space (str.isspace): JavaScript's `\s` without U+FEFF, plus U+001C–U+001F and U+0085. */
export const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** A tokenizer with `tokenize` besides the `encode`/`decode` every tokenizer has. */
export interface WordTokenizer extends Tokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The tokens of `text`, before they become ids. */
  tokenize(text: string): string[];
  /** The vocabulary's size now (it grows when no vocabulary was given). */
  readonly vocabularySize: number;
}

/**
 * The `whitespace` tokenizer: splits text on white space exactly as Python's `str.split()` does (runs of
 * white space, none at the ends, empty text → no tokens); `decode` joins tokens with one space.
 */
export const whitespace = defineTokenizer((config: WhitespaceConfig = {}): WordTokenizer => {
  const vocabulary = new Vocabulary('whitespace', config.vocab, config.unknownToken ?? '[UNK]');
  const tokenize = (text: string): string[] => {
    const source = config.lowercase ? text.toLowerCase() : text;
    return source.split(PYTHON_WHITESPACE).filter((token) => token.length > 0);
  };
  return {
    tokenize,
    encode: (text) => vocabulary.toIds(tokenize(text)),
    decode: (ids) => vocabulary.toTokens(ids).join(' '),
    get vocabularySize() {
      return vocabulary.size;
    },
  };
});
