// Built-in tokenizers (codex_ml.tokenizers): whitespace, regex, Hugging Face tokenizer.json, SentencePiece.
export { whitespace, PYTHON_WHITESPACE } from './whitespace.ts';
export type { WhitespaceConfig, WordTokenizer } from './whitespace.ts';
export { regex, DEFAULT_TOKEN_PATTERN } from './regex.ts';
export type { RegexConfig } from './regex.ts';
export { hf } from './hf.ts';
export type { HfConfig, HfTokenizer } from './hf.ts';
export { sentencepiece, SENTENCEPIECE_PACKAGE } from './sentencepiece.ts';
export type { SentencePieceConfig, SentencePieceTokenizer } from './sentencepiece.ts';
export { Vocabulary } from './vocabulary.ts';
export type { VocabularyInput } from './vocabulary.ts';
export type { ModelSource } from './read-model.ts';
