import { describeValue } from '../errors/index.ts';
import { openPlugboardDB, runInTransaction, type PlugboardTransaction } from '../storage/index.ts';
import { TrackingError } from '../store-kit/index.ts';
import { ancestorsOf, normalizeArtifactPath } from './artifact-path.ts';
import {
  allRecords,
  chunkKey,
  chunkRange,
  chunksUnder,
  headsUnder,
  toBlobPart,
  type BytesMode,
  type ChunkRecord,
  type FileHeadRecord,
} from './artifact-records.ts';
import { parseIdbUri } from './parse-idb-uri.ts';
import type { ArtifactBytes, ArtifactRepository, FileInfo } from './types.ts';

/** The default size of one stored slice of a file: 8 MiB. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

/** Options of `openArtifactRepository`. */
export interface ArtifactRepositoryOptions {
  /** Bytes per stored slice; big files are split into slices of this size. Default 8 MiB. */
  chunkSize?: number;
  /**
   * How bytes are stored. `blob` (the default) stores Blob slices, which browsers keep on disk, so a file is
   * never held twice in memory. `arrayBuffer` reads each slice into memory before the write, for IndexedDB
   * implementations that cannot store Blobs; the default falls back to it by itself on a DataCloneError.
   */
  bytes?: BytesMode;
}

type ArtifactsTransaction = PlugboardTransaction<'artifacts'[], 'readwrite'>;

/** One file prepared for writing: its slices, still Blobs or already read into ArrayBuffers. */
interface PendingFile {
  path: string;
  fileSize: number;
  contentType: string;
  slices: (Blob | ArrayBuffer)[];
}

function toBlob(bytes: ArtifactBytes, field: string): Blob {
  if (bytes instanceof Blob) return bytes;
  if (typeof bytes === 'string') return new Blob([bytes], { type: 'text/plain;charset=utf-8' });
  if (bytes instanceof ArrayBuffer) return new Blob([bytes]);
  if (ArrayBuffer.isView(bytes)) return new Blob([toBlobPart(bytes)]);
  throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} must be a Blob, an ArrayBuffer, a typed array or a string, received ${describeValue(bytes)}`, {
    field,
    hint: 'Pass the file as a Blob (a File from an <input> works too).',
  });
}

function isDataCloneError(error: unknown): boolean {
  for (let cause: unknown = error; typeof cause === 'object' && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { name?: unknown }).name === 'DataCloneError') return true;
  }
  return false;
}

/** The artifact repository on IndexedDB: files under one root URI in the `artifacts` store of Plugboard's database. */
export class IdbArtifactRepository implements ArtifactRepository {
  readonly artifactUri: string;
  #database: string;
  #chunkSize: number;
  #mode: BytesMode;

  constructor(artifactUri: string, options: ArtifactRepositoryOptions = {}) {
    const location = parseIdbUri(artifactUri, 'artifactUri');
    this.artifactUri = location.uri;
    this.#database = location.database;
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `chunkSize must be a whole number of bytes ≥ 1, received ${String(chunkSize)}`, { field: 'chunkSize' });
    }
    this.#chunkSize = chunkSize;
    this.#mode = options.bytes ?? 'blob';
  }

  async logArtifact(bytes: ArtifactBytes, path: string): Promise<void> {
    const normalized = normalizeArtifactPath(path, 'path');
    await this.#write([{ path: normalized, blob: toBlob(bytes, 'bytes') }], `logArtifact("${normalized}")`);
  }

  async logArtifacts(files: Readonly<Record<string, ArtifactBytes>>): Promise<void> {
    if (typeof files !== 'object' || files === null || Array.isArray(files)) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `files must be an object of path → Blob, received ${describeValue(files)}`, { field: 'files' });
    }
    const entries = Object.entries(files).map(([path, bytes]) => ({
      path: normalizeArtifactPath(path, `files["${path}"]`),
      blob: toBlob(bytes, `files["${path}"]`),
    }));
    const paths = new Set<string>();
    for (const { path } of entries) {
      if (paths.has(path)) throw new TrackingError('INVALID_PARAMETER_VALUE', `files names "${path}" twice (after normalisation)`, { field: `files["${path}"]` });
      paths.add(path);
    }
    for (const { path } of entries) {
      const parent = ancestorsOf(path).find((ancestor) => paths.has(ancestor));
      if (parent !== undefined) {
        throw new TrackingError('INVALID_PARAMETER_VALUE', `files holds both the file "${parent}" and "${path}" under it`, {
          field: `files["${path}"]`,
          hint: 'A path is either a file or a directory; rename one of them.',
        });
      }
    }
    if (entries.length === 0) return;
    await this.#write(entries, `logArtifacts(${entries.length} files)`);
  }

  async listArtifacts(dir?: string): Promise<FileInfo[]> {
    const base = normalizeArtifactPath(dir ?? '', 'dir', { allowRoot: true, allowTrailingSlash: true });
    const root = this.artifactUri;
    const db = await openPlugboardDB(this.#database);
    return runInTransaction(db, ['artifacts'], 'readonly', `listArtifacts("${base}")`, async (transaction) => {
      const entries: FileInfo[] = [];
      const prefix = base === '' ? '' : `${base}/`;
      let cursor = await transaction.objectStore('artifacts').openCursor(headsUnder(root, base));
      while (cursor) {
        const path = (cursor.primaryKey as [string, string])[1];
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash === -1) {
          entries.push({ path, isDir: false, fileSize: (cursor.value as FileHeadRecord).fileSize });
          cursor = await cursor.continue();
        } else {
          const child = prefix + rest.slice(0, slash);
          entries.push({ path: child, isDir: true, fileSize: null });
          // Skip the rest of that subdirectory: '0' follows '/', so `${child}0` is past every `${child}/…`.
          cursor = await cursor.continue([root, `${child}0`]);
        }
      }
      // Key order puts "a.txt" before the directory "a" ('.' < '/'); a listing sorts by the entry's own path.
      return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    });
  }

  async downloadArtifact(path: string): Promise<Blob> {
    const normalized = normalizeArtifactPath(path, 'path');
    const root = this.artifactUri;
    const db = await openPlugboardDB(this.#database);
    return runInTransaction(db, ['artifacts'], 'readonly', `downloadArtifact("${normalized}")`, async (transaction) => {
      const store = transaction.objectStore('artifacts');
      const head = (await store.get([root, normalized])) as FileHeadRecord | undefined;
      if (!head) {
        if ((await store.count(headsUnder(root, normalized))) > 0) {
          throw new TrackingError('INVALID_PARAMETER_VALUE', `"${normalized}" under ${root} is a directory, not a file`, {
            field: 'path',
            hint: 'List it with listArtifacts and download its files one by one.',
          });
        }
        throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `no artifact "${normalized}" under ${root}`, { field: 'path', hint: 'Check the path with listArtifacts.' });
      }
      const chunks = (await store.getAll(chunkRange(root, normalized))) as ChunkRecord[];
      if (chunks.length !== head.chunkCount) {
        throw new TrackingError('INTERNAL_ERROR', `artifact "${normalized}" under ${root} has ${chunks.length} of its ${head.chunkCount} stored slices`, {
          field: 'path',
          hint: 'Log the artifact again.',
        });
      }
      return new Blob(chunks.map((chunk) => toBlobPart(chunk.bytes)), { type: head.contentType });
    });
  }

  async deleteArtifacts(path?: string): Promise<void> {
    const target = normalizeArtifactPath(path ?? '', 'path', { allowRoot: true, allowTrailingSlash: true });
    const root = this.artifactUri;
    const db = await openPlugboardDB(this.#database);
    await runInTransaction(db, ['artifacts'], 'readwrite', `deleteArtifacts("${target}")`, async (transaction) => {
      const store = transaction.objectStore('artifacts');
      if (target === '') {
        await store.delete(allRecords(root));
        return;
      }
      await store.delete([root, target]);
      await store.delete(chunkRange(root, target));
      await store.delete(headsUnder(root, target));
      await store.delete(chunksUnder(root, target));
    });
  }

  /** Writes files in one transaction: all of them, or — on any failure — none. */
  async #write(files: { path: string; blob: Blob }[], what: string): Promise<void> {
    const pending: PendingFile[] = files.map(({ path, blob }) => {
      const slices: Blob[] = [];
      for (let start = 0; start < blob.size; start += this.#chunkSize) slices.push(blob.slice(start, Math.min(start + this.#chunkSize, blob.size)));
      return { path, fileSize: blob.size, contentType: blob.type, slices };
    });
    if (this.#mode === 'arrayBuffer') {
      await this.#commit(await readSlices(pending), what);
      return;
    }
    try {
      await this.#commit(pending, what);
    } catch (error) {
      if (!isDataCloneError(error)) throw error;
      // This IndexedDB cannot store Blobs: keep ArrayBuffers from now on.
      this.#mode = 'arrayBuffer';
      await this.#commit(await readSlices(pending), what);
    }
  }

  async #commit(files: PendingFile[], what: string): Promise<void> {
    const root = this.artifactUri;
    const db = await openPlugboardDB(this.#database);
    await runInTransaction(db, ['artifacts'], 'readwrite', what, async (transaction) => {
      for (const file of files) await checkPlace(transaction, root, file.path);
      const store = transaction.objectStore('artifacts');
      const now = Date.now();
      for (const file of files) {
        await store.delete(chunkRange(root, file.path));
        const writes = file.slices.map((bytes, index) => observed(store.put({ root, path: chunkKey(file.path, index), kind: 'chunk', bytes } satisfies ChunkRecord)));
        const head: FileHeadRecord = {
          root,
          path: file.path,
          kind: 'file',
          fileSize: file.fileSize,
          chunkCount: file.slices.length,
          contentType: file.contentType,
          lastModified: now,
        };
        writes.push(observed(store.put(head)));
        await Promise.all(writes);
      }
    });
  }
}

/**
 * Marks a request's promise as handled at once: if a later request of the same transaction throws, the
 * transaction aborts and this one rejects too, which the caller reports once rather than as an unhandled
 * rejection.
 */
function observed<T>(request: Promise<T>): Promise<T> {
  request.catch(() => {});
  return request;
}

/** Fails when `path` is a directory or lies under a file, inside the write's transaction. */
async function checkPlace(transaction: ArtifactsTransaction, root: string, path: string): Promise<void> {
  const store = transaction.objectStore('artifacts');
  if ((await store.count(headsUnder(root, path))) > 0) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `"${path}" under ${root} is a directory; a file cannot replace it`, {
      field: 'path',
      hint: 'Delete the directory first with deleteArtifacts, or pick another path.',
    });
  }
  for (const ancestor of ancestorsOf(path)) {
    if (await store.getKey([root, ancestor])) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `"${path}" would lie under "${ancestor}", which is a file under ${root}`, {
        field: 'path',
        hint: `Delete the file "${ancestor}" first, or pick another path.`,
      });
    }
  }
}

/** Reads every slice into an ArrayBuffer, one slice at a time, before a transaction opens. */
async function readSlices(files: PendingFile[]): Promise<PendingFile[]> {
  const read: PendingFile[] = [];
  for (const file of files) {
    const slices: ArrayBuffer[] = [];
    for (const slice of file.slices) slices.push(slice instanceof Blob ? await slice.arrayBuffer() : slice);
    read.push({ ...file, slices });
  }
  return read;
}

/**
 * Opens the artifact repository rooted at an `idb:` URI (`idb://<database>/<path>`, database `plugboard`
 * when the URI names none). Rejects with INVALID_PARAMETER_VALUE for another scheme or a malformed URI, and
 * with the storage error when the database cannot be opened.
 */
export async function openArtifactRepository(artifactUri: string, options: ArtifactRepositoryOptions = {}): Promise<ArtifactRepository> {
  const repository = new IdbArtifactRepository(artifactUri, options);
  await openPlugboardDB(parseIdbUri(artifactUri, 'artifactUri').database);
  return repository;
}
