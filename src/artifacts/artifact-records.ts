// The layout of artifact records in the `artifacts` object store (keyPath [root, path]).
//
// A file is one head record at [root, path] holding its size, type and chunk count, plus its bytes in chunk
// records at [root, "\0<path>\0<index>"]. Paths never hold control characters, so every chunk key sorts
// before every file key of the root, and the chunks of a directory's files share the key prefix "\0<dir>/":
// one key range deletes them all, and no listing range ever meets a chunk.

/** How chunk bytes are kept: Blobs where IndexedDB can store them, else ArrayBuffers. */
export type BytesMode = 'blob' | 'arrayBuffer';

/** A file's head record. */
export interface FileHeadRecord {
  root: string;
  path: string;
  kind: 'file';
  fileSize: number;
  chunkCount: number;
  contentType: string;
  lastModified: number;
  [field: string]: unknown;
}

/** One slice of a file's bytes. */
export interface ChunkRecord {
  root: string;
  path: string;
  kind: 'chunk';
  bytes: Blob | ArrayBuffer;
  [field: string]: unknown;
}

/** The key of chunk `index` of the file at `path`. */
export function chunkKey(path: string, index: number): string {
  return `\u0000${path}\u0000${String(index).padStart(10, '0')}`;
}

/** The key range of every chunk of the file at `path`. */
export function chunkRange(root: string, path: string): IDBKeyRange {
  return IDBKeyRange.bound([root, `\u0000${path}\u0000`], [root, `\u0000${path}\u0001`], false, true);
}

/** The key range of every file head under the directory `dir` ('' for the root), at any depth. */
export function headsUnder(root: string, dir: string): IDBKeyRange {
  // '0' is the character after '/', so [dir + '/', dir + '0') holds exactly the keys starting with dir + '/'.
  return dir === '' ? IDBKeyRange.bound([root, ' '], [root, []]) : IDBKeyRange.bound([root, `${dir}/`], [root, `${dir}0`], false, true);
}

/** The key range of every chunk of every file under the directory `dir` (not '' — use allRecords). */
export function chunksUnder(root: string, dir: string): IDBKeyRange {
  return IDBKeyRange.bound([root, `\u0000${dir}/`], [root, `\u0000${dir}0`], false, true);
}

/** The key range of every record of a root. */
export function allRecords(root: string): IDBKeyRange {
  return IDBKeyRange.bound([root], [root, []], true, true);
}

/** Turns stored chunk bytes back into a Blob part. */
export function toBlobPart(bytes: unknown): Blob | ArrayBuffer {
  if (bytes instanceof Blob || bytes instanceof ArrayBuffer) return bytes;
  if (ArrayBuffer.isView(bytes)) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  throw new TypeError(`an artifact chunk holds ${typeof bytes}, not bytes`);
}
