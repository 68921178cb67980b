import { defineTokenizer } from 'plugboard/sdk';
import { tokenizerError } from './tokenizer-error.ts';
import { Vocabulary, type VocabularyInput } from './vocabulary.ts';
import type { WordTokenizer } from './whitespace.ts';

/** Config of the `regex` tokenizer. */
export interface RegexConfig {
  /** What a token looks like (or, with `gaps`, what separates tokens); default `\w+|[^\w\s]+` (words and runs of punctuation). */
  pattern?: string | RegExp;
  /** Flags for a string pattern; default `u`. `g` is always added. */
  flags?: string;
  /** The pattern matches the gaps between tokens instead of the tokens; default false. */
  gaps?: boolean;
  /** A fixed vocabulary; without one, each new token takes the next id. */
  vocab?: VocabularyInput;
  /** The token unknown tokens map to in a fixed vocabulary; default `[UNK]`. */
  unknownToken?: string;
  /** Lower-case the text before splitting; default false. */
  lowercase?: boolean;
  /** What `decode` puts between tokens; default one space. */
  separator?: string;
}

/** The default pattern: runs of word characters, and runs of anything else that is not white space. */
export const DEFAULT_TOKEN_PATTERN = String.raw`\w+|[^\w\s]+`;

/**
 * The `regex` tokenizer: tokens are the matches of a regular expression (as NLTK's RegexpTokenizer; with
 * `gaps`, the text between matches, empty pieces dropped). Throws `TOKENIZER_BAD_CONFIG` naming the
 * pattern when it does not compile or matches the empty string.
 */
export const regex = defineTokenizer((config: RegexConfig = {}): WordTokenizer => {
  const pattern = compile(config);
  const vocabulary = new Vocabulary('regex', config.vocab, config.unknownToken ?? '[UNK]');
  const separator = config.separator ?? ' ';
  const tokenize = (text: string): string[] => {
    const source = config.lowercase ? text.toLowerCase() : text;
    if (config.gaps) return source.split(pattern).filter((token) => token.length > 0);
    return Array.from(source.matchAll(pattern), (match) => match[0]);
  };
  return {
    tokenize,
    encode: (text) => vocabulary.toIds(tokenize(text)),
    decode: (ids) => vocabulary.toTokens(ids).join(separator),
    get vocabularySize() {
      return vocabulary.size;
    },
  };
});

function compile(config: RegexConfig): RegExp {
  const source = config.pattern instanceof RegExp ? config.pattern.source : (config.pattern ?? DEFAULT_TOKEN_PATTERN);
  const given = config.pattern instanceof RegExp ? config.pattern.flags : (config.flags ?? 'u');
  const flags = given.includes('g') ? given : `${given}g`;
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags);
  } catch (thrown) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_CONFIG',
      plugin: 'regex',
      field: 'pattern',
      problem: `the pattern /${source}/${flags} is not a valid regular expression (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: 'Write the pattern in JavaScript RegExp syntax; escape backslashes in JSON strings ("\\\\w+").',
      cause: thrown,
    });
  }
  if (pattern.test('')) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_CONFIG',
      plugin: 'regex',
      field: 'pattern',
      problem: `the pattern /${source}/${flags} matches the empty string, so it cannot delimit tokens`,
      hint: 'Use + rather than * so that every match holds at least one character.',
    });
  }
  pattern.lastIndex = 0;
  return pattern;
}
