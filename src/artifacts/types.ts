// The artifact repository contract, as MLflow's ArtifactRepository, camelCase and promise-based.

/** One entry of a listing: `path` is relative to the repository root, parents included (`dir/file.txt`). */
export interface FileInfo {
  path: string;
  isDir: boolean;
  /** The size in bytes, or null for a directory. */
  fileSize: number | null;
}

/** What `logArtifact` accepts as a file's bytes. */
export type ArtifactBytes = Blob | ArrayBuffer | ArrayBufferView | string;

/**
 * Files under one root URI (a run's `artifactUri`), addressed by relative POSIX paths. Directories are
 * implicit: a directory exists while a file lies under it. Every failure rejects with an error whose `code`
 * is one of MLflow's (INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, …).
 */
export interface ArtifactRepository {
  /** The root URI the repository was opened on, canonical form. */
  readonly artifactUri: string;
  /** Stores one file at `path` (file name included), replacing a file already there; a path that is a directory, or lies under a file, is INVALID_PARAMETER_VALUE. */
  logArtifact(bytes: ArtifactBytes, path: string): Promise<void>;
  /** Stores several files at once, all or nothing: if one path is invalid or the write fails, none is stored. */
  logArtifacts(files: Readonly<Record<string, ArtifactBytes>>): Promise<void>;
  /** Lists the entries directly under `dir` (the root when absent), sorted by path; a file or a missing directory gives []. */
  listArtifacts(dir?: string): Promise<FileInfo[]>;
  /** Resolves with the bytes of the file at `path`; a missing file is RESOURCE_DOES_NOT_EXIST, a directory INVALID_PARAMETER_VALUE. */
  downloadArtifact(path: string): Promise<Blob>;
  /** Deletes the file at `path`, or the directory and everything under it, or the whole root when absent; a missing path is a no-op. */
  deleteArtifacts(path?: string): Promise<void>;
}
