// Reads through the data loaders' byte reader (the inner file, not the folder's door, so a tokenizer
// module does not pull in every loader): one way of resolving Blobs, URLs and Node paths.
import { describeSource, readBytes, type DataSource } from '../data-loaders/open-source.ts';
import { PlugboardError } from '../../errors/index.ts';
import { tokenizerError } from './tokenizer-error.ts';

/** A model file as a config gives it: bytes already in memory, or a source to read them from. */
export type ModelSource = DataSource | ArrayBuffer | Uint8Array;

/**
 * Reads a model file whole: bytes pass through, a Blob, URL or (in Node) file path is read. Throws
 * `TOKENIZER_BAD_CONFIG` naming the field when the value is none of these, and the source's own error
 * (`SOURCE_NOT_FOUND`, …) when it cannot be read.
 */
export async function readModelBytes(source: unknown, plugin: string, field: string): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (!(typeof source === 'string' || source instanceof URL || (typeof Blob !== 'undefined' && source instanceof Blob))) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_CONFIG',
      plugin,
      field,
      problem: `${field} must be a URL, a file path, a Blob or bytes, received ${source === null ? 'null' : typeof source}`,
      hint: `Pass ${field}: "https://…/file" (or a path in Node), a File from an <input>, or an ArrayBuffer.`,
    });
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of readBytes(source, { plugin, name: describeSource(source) })) {
      chunks.push(chunk);
      length += chunk.byteLength;
    }
  } catch (thrown) {
    if (!(thrown instanceof PlugboardError)) throw thrown;
    const { code, problem, hint, url } = thrown;
    throw tokenizerError({ code, plugin, field, problem, hint: hint ?? '', ...(url === undefined ? {} : { url }), cause: thrown });
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a JSON config that may be given as an object already, or as a source of JSON text. */
export async function readJson(source: unknown, plugin: string, field: string): Promise<Record<string, unknown>> {
  if (source !== null && typeof source === 'object' && !(source instanceof URL) && !(source instanceof Uint8Array) && !(source instanceof ArrayBuffer) && !(typeof Blob !== 'undefined' && source instanceof Blob)) {
    return source as Record<string, unknown>;
  }
  const text = new TextDecoder().decode(await readModelBytes(source, plugin, field));
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new TypeError(`expected a JSON object, found ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`);
  } catch (thrown) {
    throw tokenizerError({
      code: 'TOKENIZER_BAD_MODEL',
      plugin,
      field,
      url: typeof source === 'string' || source instanceof URL ? String(source) : undefined,
      problem: `${field} is not a JSON object (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: 'Point it at the tokenizer.json file itself, not at a model page or folder.',
      cause: thrown,
    });
  }
}
