import { PlugboardError } from '../../errors/index.ts';
import { sourceError } from './row-error.ts';

/** What a loader reads: a Blob or File, a URL, or a string that is a URL or (in Node) a file path. */
export type DataSource = Blob | URL | string;

/** Random access to a source's bytes, the shape hyparquet calls an AsyncBuffer. */
export interface RandomAccessSource {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  /** Releases what the source holds open (a Node file handle); safe to call twice. */
  close(): Promise<void>;
}

/** Node's file API, loaded only when a file path or file: URL is read. */
type NodeFs = typeof import('node:fs');

/** The largest byte chunk handed on, and the read size for files in Node. */
const CHUNK = 1 << 20;
const NODE_FS = 'node:fs';
const NODE_URL = 'node:url';
let nodeFs: Promise<NodeFs> | undefined;

/** Whether this code runs in Node (a page and a Worker have no `process.versions.node`). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function loadNodeFs(): Promise<NodeFs> {
  // The specifier is a variable so that bundlers and the host's module lexer leave it alone: the
  // module must load in a page and a Worker, where node:fs does not exist and is never asked for.
  nodeFs ??= import(/* @vite-ignore */ NODE_FS) as Promise<NodeFs>;
  return nodeFs;
}

/** Where a source lives once resolved: a Blob in memory, a file on disk (Node), or a URL to fetch. */
type ResolvedSource = { kind: 'blob'; blob: Blob } | { kind: 'file'; path: string } | { kind: 'url'; url: URL };

/**
 * Resolves a source. A string with a URL scheme (`https:`, `file:`, `blob:`, `data:`) is a URL; any other
 * string is a file path in Node and a URL relative to the page (or Worker) elsewhere. Never inline content.
 */
async function resolveSource(source: DataSource): Promise<ResolvedSource> {
  if (typeof Blob !== 'undefined' && source instanceof Blob) return { kind: 'blob', blob: source };
  if (source instanceof URL) return source.protocol === 'file:' && isNode() ? { kind: 'file', path: await filePath(source) } : { kind: 'url', url: source };
  const text = String(source);
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]+:/.test(text); // two letters at least: "C:\data" is a path
  if (hasScheme) return resolveSource(new URL(text));
  if (isNode()) return { kind: 'file', path: text };
  return { kind: 'url', url: new URL(text, globalThis.location?.href) };
}

async function filePath(url: URL): Promise<string> {
  const { fileURLToPath } = (await import(/* @vite-ignore */ NODE_URL)) as typeof import('node:url');
  return fileURLToPath(url);
}

/** Names a source the way a person would: a File's name, a path, a URL; `sourceName` wins when given. */
export function describeSource(source: DataSource, sourceName?: string): string {
  if (sourceName) return sourceName;
  if (typeof File !== 'undefined' && source instanceof File) return source.name || 'the uploaded file';
  if (typeof Blob !== 'undefined' && source instanceof Blob) return 'the uploaded data';
  return String(source);
}

/** Who is reading and how errors name the source. */
export interface ReadContext {
  /** The loader's name, for error messages. */
  plugin: string;
  /** The source as errors name it (see describeSource). */
  name: string;
  signal?: AbortSignal;
}

/**
 * Streams a source's bytes in chunks, in bounded memory: a Blob through `stream()`, a URL through
 * `fetch`, a file in Node through `node:fs`. Throws `SOURCE_NOT_FOUND` or `SOURCE_UNREADABLE` naming the
 * source before the first chunk when it cannot be opened, and the signal's reason once it aborts.
 */
export async function* readBytes(source: DataSource, { plugin, name, signal }: ReadContext): AsyncGenerator<Uint8Array> {
  const resolved = await resolveSource(source);
  if (resolved.kind === 'file') {
    const fs = await loadNodeFs();
    await checkFile(fs, resolved.path, plugin, name);
    const stream = fs.createReadStream(resolved.path, { highWaterMark: CHUNK });
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        signal?.throwIfAborted();
        yield chunk;
      }
    } finally {
      stream.destroy();
    }
    return;
  }
  const body = resolved.kind === 'blob' ? resolved.blob.stream() : await fetchBody(resolved.url, plugin, name, signal);
  const reader = body.getReader();
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) return;
      // A stream may hand over a whole Blob as one chunk (Node does for an in-memory Blob): pass it on
      // in views of at most 1 MiB, so the text decoded from it stays small.
      if (value.byteLength <= CHUNK) yield value;
      else for (let start = 0; start < value.byteLength; start += CHUNK) yield value.subarray(start, start + CHUNK);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Opens a source for reads at any offset: a Blob slices, a URL answers HTTP range requests (the whole
 * body is fetched once when the server ignores ranges), a file in Node reads at a position.
 */
export async function openRandomAccess(source: DataSource, { plugin, name }: ReadContext): Promise<RandomAccessSource> {
  const resolved = await resolveSource(source);
  if (resolved.kind === 'blob') {
    const blob = resolved.blob;
    return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer(), close: async () => undefined };
  }
  if (resolved.kind === 'file') {
    const fs = await loadNodeFs();
    await checkFile(fs, resolved.path, plugin, name);
    const handle = await fs.promises.open(resolved.path, 'r');
    const { size } = await handle.stat();
    let closed = false;
    return {
      byteLength: size,
      async slice(start, end = size) {
        const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - start));
        let done = 0;
        while (done < bytes.length) {
          const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return bytes.buffer;
      },
      async close() {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
  }
  return openRemote(resolved.url, plugin, name);
}

async function openRemote(url: URL, plugin: string, name: string): Promise<RandomAccessSource> {
  const head = await fetchOrThrow(url, { method: 'HEAD' }, plugin, name);
  const length = Number(head.headers.get('content-length'));
  const ranges = head.headers.get('accept-ranges') === 'bytes' && Number.isFinite(length) && length > 0;
  if (!ranges) {
    // The server cannot answer ranges: hold the body once, as a Blob (the browser may keep it on disk).
    const blob = await (await fetchOrThrow(url, {}, plugin, name)).blob();
    return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer(), close: async () => undefined };
  }
  return {
    byteLength: length,
    async slice(start, end = length) {
      const response = await fetchOrThrow(url, { headers: { Range: `bytes=${start}-${end - 1}` } }, plugin, name);
      const bytes = await response.arrayBuffer();
      // A 200 answer carries the whole body even though a range was asked for.
      return response.status === 206 ? bytes : bytes.slice(start, end);
    },
    close: async () => undefined,
  };
}

async function fetchBody(url: URL, plugin: string, name: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await fetchOrThrow(url, signal ? { signal } : {}, plugin, name);
  if (!response.body) {
    throw sourceError({ code: 'SOURCE_UNREADABLE', plugin, source: name, problem: `${name} answered with no body`, hint: 'Check that the URL serves the data file itself.' });
  }
  return response.body;
}

async function fetchOrThrow(url: URL, init: RequestInit, plugin: string, name: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (thrown) {
    if (thrown instanceof Error && thrown.name === 'AbortError') throw thrown;
    throw sourceError({
      code: 'SOURCE_UNREADABLE',
      plugin,
      source: name,
      problem: `${name} could not be fetched (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: 'Check the URL, the network, and that the server sends CORS headers for this page.',
      cause: thrown,
    });
  }
  if (!response.ok) {
    throw sourceError({
      code: response.status === 404 ? 'SOURCE_NOT_FOUND' : 'SOURCE_UNREADABLE',
      plugin,
      source: name,
      problem: `${name} answered HTTP ${response.status} ${response.statusText}`.trim(),
      hint: 'Check that the URL points at the data file and that it is readable from here.',
    });
  }
  return response;
}

async function checkFile(fs: NodeFs, path: string, plugin: string, name: string): Promise<void> {
  try {
    const stat = await fs.promises.stat(path);
    if (!stat.isFile()) {
      throw sourceError({ code: 'SOURCE_UNREADABLE', plugin, source: name, problem: `${name} is not a file`, hint: 'Give the path of a data file, not a folder.' });
    }
  } catch (thrown) {
    if (thrown instanceof PlugboardError) throw thrown;
    const code = (thrown as { code?: string }).code;
    throw sourceError({
      code: code === 'ENOENT' ? 'SOURCE_NOT_FOUND' : 'SOURCE_UNREADABLE',
      plugin,
      source: name,
      problem: code === 'ENOENT' ? `${name} does not exist` : `${name} cannot be read (${code ?? String(thrown)})`,
      hint: code === 'ENOENT' ? 'Check the path; a relative path is read from the current folder.' : 'Check the file permissions.',
      cause: thrown,
    });
  }
}
