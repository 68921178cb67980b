import { defineTokenizer, type Tokenizer } from 'plugboard/sdk';
import { isNode } from '../data-loaders/open-source.ts';
import { readModelBytes } from './read-model.ts';
import { tokenizerError } from './tokenizer-error.ts';

/** Config of the `sentencepiece` tokenizer. */
export interface SentencePieceConfig {
  /** The .model file: a URL, a file path (Node), a Blob, or its bytes. */
  model: unknown;
}

/** A `sentencepiece` tokenizer: `encode`/`decode` plus `tokenize` (the pieces). */
export interface SentencePieceTokenizer extends Tokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  tokenize(text: string): string[];
}

/** The npm package that runs SentencePiece (its C++ compiled to WebAssembly). */
export const SENTENCEPIECE_PACKAGE = '@sctg/sentencepiece-js';

/** The part of @sctg/sentencepiece-js this plugin uses. */
interface Processor {
  loadFromB64StringModel(model: string): Promise<void>;
  encodeIds(text: string): number[];
  encodePieces(text: string): string[];
  decodeIds(ids: number[]): string;
  processor: { status(): { ToString(): string; delete(): void } };
}

/**
 * The `sentencepiece` tokenizer: a SentencePiece .model run by the SentencePiece library itself, compiled
 * to WebAssembly (@sctg/sentencepiece-js, about 4 MB, loaded only when this factory runs), so ids and
 * text are exactly what Python's `sentencepiece` gives. Throws `TOKENIZER_UNAVAILABLE` saying what to
 * install when that package cannot be loaded, and `TOKENIZER_BAD_MODEL` when the bytes are not a model.
 */
export const sentencepiece = defineTokenizer(async (config: SentencePieceConfig): Promise<SentencePieceTokenizer> => {
  if (config === null || typeof config !== 'object' || config.model === undefined) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_CONFIG',
      plugin: 'sentencepiece',
      field: 'model',
      problem: 'the config has no model (the SentencePiece .model file, or where to read it)',
      hint: 'Pass { model: "https://…/tokenizer.model" }, a file path in Node, a File, or the bytes.',
    });
  }
  const [bytes, library] = await Promise.all([readModelBytes(config.model, 'sentencepiece', 'model'), loadLibrary()]);
  const processor = new library.SentencePieceProcessor() as unknown as Processor;
  await processor.loadFromB64StringModel(toBase64(bytes));
  const status = processor.processor.status();
  const verdict = status.ToString();
  status.delete();
  if (verdict !== 'OK') {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_MODEL',
      plugin: 'sentencepiece',
      field: 'model',
      problem: `the model cannot be loaded (${verdict})`,
      hint: 'Pass a SentencePiece .model file (the binary written by spm_train or SentencePieceTrainer), not tokenizer.json or a .vocab file.',
    });
  }
  return {
    encode: (text) => processor.encodeIds(text),
    decode: (ids) => processor.decodeIds([...ids]),
    tokenize: (text) => processor.encodePieces(text),
  };
});

async function loadLibrary(): Promise<typeof import('@sctg/sentencepiece-js')> {
  try {
    // In Node the package is imported from node_modules as published: its Emscripten glue reads the
    // platform (node:module, fs) at run time, which a browser bundle stubs out. Pages and Workers get
    // the bundled copy. The variable specifier keeps bundlers from rewriting the Node import.
    if (isNode()) return (await import(/* @vite-ignore */ SENTENCEPIECE_PACKAGE)) as typeof import('@sctg/sentencepiece-js');
    return await import('@sctg/sentencepiece-js');
  } catch (thrown) {
    throw tokenizerError({
      code: 'TOKENIZER_UNAVAILABLE',
      plugin: 'sentencepiece',
      problem: `SentencePiece needs the package ${SENTENCEPIECE_PACKAGE}, which could not be loaded (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: `Run "npm install ${SENTENCEPIECE_PACKAGE}", or in a page map "${SENTENCEPIECE_PACKAGE}" in the manifest's imports; or convert the model to tokenizer.json and use the hf tokenizer.`,
      cause: thrown,
    });
  }
}

/** Encodes bytes as base64 in slices, so a model of any size never builds one giant argument list. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}
