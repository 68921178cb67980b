// The files of one model folder, each read once — from disk, the cache or the network — with its digest kept.
import type { ModelFileRecord as RecordedModelFile } from 'plugboard/sdk';
import { isNode } from '../data-loaders/open-source.ts';
import { sha256Hex, sha384Integrity, type FileCache } from './file-cache.ts';
import { modelError } from './model-error.ts';

/**
 * What the run's provenance records of one model file: its path inside the model folder (`onnx/model.onnx`),
 * URL, size, the SHA-384 of the bytes read (`sha384-<base64>`, taken from the bytes even when they come from
 * the cache), the SHA-256 (hex) the cache keeps, and whether the bytes came from the cache.
 */
export type ModelFileRecord = RecordedModelFile & { sha256: string; cached: boolean };

/** Node's file API, named by a variable so bundlers and module lexers leave it alone (pages never ask for it). */
const NODE_FS_PROMISES = 'node:fs/promises';

/** Raised (as a PlugboardError with this code) when the model's host has no such file. */
export const MODEL_FILE_MISSING = 'MODEL_FILE_MISSING';

/** The origin of a URL as allowed_origins spells it (`file://` for files). */
export function originOf(url: URL): string {
  return url.protocol === 'file:' ? 'file://' : url.origin;
}

/**
 * The files of one model folder. `read` resolves with a file's bytes, memoised, and records its digest;
 * a file outside the allowed origins is refused with MODEL_ORIGIN before any request, a missing file
 * rejects with MODEL_FILE_MISSING and any other failure with MODEL_FETCH, each naming the URL.
 */
export class ModelFiles {
  readonly folder: URL;
  readonly #plugin: string;
  readonly #allowed: ReadonlySet<string>;
  readonly #cache: FileCache | undefined;
  readonly #reads = new Map<string, Promise<Uint8Array>>();
  readonly #records = new Map<string, ModelFileRecord>();

  constructor(folder: URL, options: { plugin: string; allowedOrigins?: readonly string[]; cache?: FileCache }) {
    this.folder = folder;
    this.#plugin = options.plugin;
    this.#allowed = new Set(options.allowedOrigins ?? [originOf(folder)]);
    this.#cache = options.cache;
  }

  /** Resolves with the bytes of `file` (a path inside the folder); the same promise for the same file. */
  read(file: string): Promise<Uint8Array> {
    let reading = this.#reads.get(file);
    if (!reading) {
      reading = this.#load(file);
      this.#reads.set(file, reading);
      reading.catch(() => this.#reads.delete(file));
    }
    return reading;
  }

  /** The files read so far, sorted by path: what a run records as the model's provenance. */
  records(): ModelFileRecord[] {
    return [...this.#records.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  async #load(file: string): Promise<Uint8Array> {
    const url = new URL(file, this.folder);
    const origin = originOf(url);
    if (!this.#allowed.has(origin)) {
      throw modelError({
        code: 'MODEL_ORIGIN',
        plugin: this.#plugin,
        field: 'model_name',
        url: url.href,
        problem: `model files from ${origin} are not allowed (allowed_origins: ${[...this.#allowed].join(', ')})`,
        hint: `Add "${origin}" to the config's allowed_origins if you trust it.`,
      });
    }
    const cached = url.protocol === 'file:' ? undefined : await this.#cache?.match(url.href);
    const bytes = cached?.bytes ?? (url.protocol === 'file:' ? await this.#readFile(url) : await this.#fetch(url));
    const sha256 = cached?.sha256 ?? (await sha256Hex(bytes));
    if (!cached && url.protocol !== 'file:') await this.#cache?.put(url.href, { bytes, sha256 });
    this.#records.set(file, { file, url: url.href, sha384: await sha384Integrity(bytes), sha256, size: bytes.byteLength, cached: cached !== undefined });
    return bytes;
  }

  async #fetch(url: URL): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (thrown) {
      throw modelError({
        code: 'MODEL_FETCH',
        plugin: this.#plugin,
        url: url.href,
        problem: `the model file could not be fetched (${thrown instanceof Error ? thrown.message : String(thrown)})`,
        hint: 'Check that the model host is reachable and sends CORS headers to this page.',
        cause: thrown,
      });
    }
    if (response.status === 404) throw this.#missing(url);
    if (!response.ok) {
      throw modelError({
        code: 'MODEL_FETCH',
        plugin: this.#plugin,
        url: url.href,
        problem: `the model host answered ${response.status} ${response.statusText}`.trim(),
        hint: 'Check the model_name, remote_host and revision, and that the host serves the folder.',
      });
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  async #readFile(url: URL): Promise<Uint8Array> {
    if (!isNode()) throw this.#missing(url);
    const { readFile } = (await import(/* @vite-ignore */ NODE_FS_PROMISES)) as typeof import('node:fs/promises');
    try {
      return new Uint8Array(await readFile(url));
    } catch (thrown) {
      if ((thrown as { code?: unknown }).code === 'ENOENT') throw this.#missing(url);
      throw modelError({
        code: 'MODEL_FETCH',
        plugin: this.#plugin,
        url: url.href,
        problem: `the model file could not be read (${thrown instanceof Error ? thrown.message : String(thrown)})`,
        hint: 'Check the path and its permissions.',
        cause: thrown,
      });
    }
  }

  #missing(url: URL) {
    return modelError({
      code: MODEL_FILE_MISSING,
      plugin: this.#plugin,
      url: url.href,
      problem: `the model folder has no file ${url.pathname.split('/').pop() ?? url.href}`,
      hint: 'Check the model_name and where its files come from (remote_host, local_path).',
    });
  }
}
