import { normalizeArtifactPath, type ArtifactBytes, type ArtifactRepository, type FileInfo } from '../artifacts/index.ts';
import { TrackingError, hasTrackingCode } from '../tracking/index.ts';
import { RestClient, type RequestHeaders, type RestClientOptions } from './rest-client.ts';
import { trimSlashes } from './trim-slashes.ts';

/** The path of the server's artifact proxy, below its base URL. */
export const ARTIFACTS_ENDPOINT = 'api/2.0/mlflow-artifacts/artifacts';

/** Where an artifact URI points: the server's base URL and the root path below the artifact proxy. */
export interface ArtifactLocation {
  baseUrl: string;
  root: string;
}

/**
 * Reads an artifact URI of an MLflow server as MLflow's client resolves it: `mlflow-artifacts://host:port/path`
 * (over http), `http(s)://host/…/api/2.0/mlflow-artifacts/artifacts/path`, or `mlflow-artifacts:/path` with the
 * tracking server's URL given as `trackingUri`. Anything else is INVALID_PARAMETER_VALUE.
 */
export function parseArtifactUri(uri: string, trackingUri?: string): ArtifactLocation {
  const trim = (path: string): string => trimSlashes(path, 'both');
  // A URI with "?" or "#" never matches; leaving it out first keeps the lazy match linear on any text.
  const proxied = /[?#]/.test(uri) ? null : /^(https?:\/\/[^?#]*?)\/api\/2\.0\/mlflow-artifacts\/artifacts(?:\/([^?#]*))?$/i.exec(uri);
  if (proxied) return { baseUrl: proxied[1]!, root: trim(decodeURIComponent(proxied[2] ?? '')) };
  const withHost = /^mlflow-artifacts:\/\/([^/]+)(\/.*)?$/i.exec(uri);
  if (withHost) {
    const scheme = trackingUri && /^https:/i.test(trackingUri) ? 'https' : 'http';
    return { baseUrl: `${scheme}://${withHost[1]}`, root: trim(withHost[2] ?? '') };
  }
  const bare = /^mlflow-artifacts:(\/[^/].*|\/?)$/i.exec(uri);
  if (bare && trackingUri && /^https?:\/\//i.test(trackingUri)) return { baseUrl: trimSlashes(trackingUri), root: trim(bare[1] ?? '') };
  throw new TrackingError('INVALID_PARAMETER_VALUE', `"${uri}" is not an artifact URI of an MLflow server${bare ? ' that names its server' : ''}`, {
    field: 'artifactUri',
    hint: bare
      ? 'Open it through the tracking API of an http(s) tracking URI (host.tracking({ uri })), which resolves mlflow-artifacts:/ against the server, or write mlflow-artifacts://host:port/path.'
      : 'Use mlflow-artifacts://host:port/path or http(s)://host/api/2.0/mlflow-artifacts/artifacts/path.',
  });
}

/** A file path under the root, by the rules every artifact repository shares (`./a` is `a`, `..` is refused). */
const checkPath = (path: string, field: string): string => normalizeArtifactPath(path, field);
/** A directory path under the root; absent, `''` or `.` is the root itself. */
const checkDir = (dir: string | undefined, field: string): string =>
  dir === undefined ? '' : normalizeArtifactPath(dir, field, { allowRoot: true, allowTrailingSlash: true }).replace(/^\.$/, '');

const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

function bodyOf(bytes: ArtifactBytes): BodyInit {
  if (typeof bytes === 'string' || bytes instanceof Blob || bytes instanceof ArrayBuffer) return bytes;
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * MLflow's artifact repository over a tracking server's artifact proxy (`mlflow server --serve-artifacts`,
 * the default): PUT uploads one file's bytes as they are (a Blob is streamed by the platform), GET downloads
 * it, `?path=` lists a directory, DELETE removes a file or a directory.
 */
export class RestArtifactRepository implements ArtifactRepository {
  readonly artifactUri: string;
  readonly client: RestClient;
  #root: string;

  constructor(artifactUri: string, options: RestClientOptions & { trackingUri?: string } = {}) {
    const { baseUrl, root } = parseArtifactUri(artifactUri, options.trackingUri);
    this.artifactUri = artifactUri;
    this.client = new RestClient(baseUrl, options);
    this.#root = root;
  }

  /** Sets the headers every request carries (credentials from request header providers). */
  useRequestHeaders(headers: RequestHeaders): void {
    this.client.useRequestHeaders(headers);
  }

  #url(path?: string): string {
    const full = [this.#root, path].filter((part) => part).join('/');
    return `${ARTIFACTS_ENDPOINT}/${encodePath(full)}`;
  }

  async logArtifact(bytes: ArtifactBytes, path: string): Promise<void> {
    const file = checkPath(path, 'path');
    try {
      await this.client.request('PUT', this.#url(file), { body: bodyOf(bytes), headers: { 'Content-Type': 'application/octet-stream' } });
    } catch (error) {
      if (!hasTrackingCode(error, 'INTERNAL_ERROR')) throw error;
      throw await this.#whyNotWritten(file, error);
    }
  }

  async logArtifacts(files: Readonly<Record<string, ArtifactBytes>>): Promise<void> {
    const entries = Object.keys(files).map((path) => [checkPath(path, `files.${path}`), files[path]!] as const);
    for (const [path] of entries) {
      const parent = entries.find(([other]) => path.startsWith(`${other}/`));
      if (parent) throw new TrackingError('INVALID_PARAMETER_VALUE', `artifact ${path} would lie under the file ${parent[0]} of the same batch`, { field: `files.${path}` });
    }
    const written: string[] = [];
    try {
      for (const [path, bytes] of entries) {
        await this.logArtifact(bytes, path);
        written.push(path);
      }
    } catch (error) {
      // All or nothing: take back what this call wrote before the failure.
      await Promise.allSettled(written.map((path) => this.client.request('DELETE', this.#url(path))));
      throw error;
    }
  }

  async listArtifacts(dir?: string): Promise<FileInfo[]> {
    dir = checkDir(dir, 'dir');
    const full = [this.#root, dir].filter((part) => part).join('/');
    const answer = await this.client.get<{ files?: { path?: string; is_dir?: boolean; file_size?: number | string }[] }>(ARTIFACTS_ENDPOINT, full ? { path: full } : {});
    return (answer.files ?? [])
      .map((file) => ({
        path: dir ? `${dir}/${file.path ?? ''}` : file.path ?? '',
        isDir: file.is_dir === true,
        fileSize: file.is_dir ? null : Number(file.file_size ?? 0),
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async downloadArtifact(path: string): Promise<Blob> {
    path = checkPath(path, 'path');
    try {
      const response = await this.client.request('GET', this.#url(path));
      return await response.blob();
    } catch (error) {
      if (!['ENDPOINT_NOT_FOUND', 'RESOURCE_DOES_NOT_EXIST', 'INTERNAL_ERROR', 'BAD_REQUEST'].some((code) => hasTrackingCode(error, code as 'BAD_REQUEST'))) throw error;
      throw await this.#whyNotFile(path, error);
    }
  }

  /** Resolves with a readable stream of the file's bytes, for files too big to hold at once. */
  async openArtifact(path: string): Promise<ReadableStream<Uint8Array>> {
    path = checkPath(path, 'path');
    const response = await this.client.request('GET', this.#url(path));
    if (!response.body) throw new TrackingError('INTERNAL_ERROR', `the server sent no body for artifact ${path}`, { url: `${this.client.baseUrl}/${this.#url(path)}` });
    return response.body;
  }

  async deleteArtifacts(path?: string): Promise<void> {
    const target = checkDir(path, 'path');
    await this.client.request('DELETE', this.#url(target));
  }

  // The proxy answers 500 when a file would replace a directory or lie under a file; the listings say which.
  async #whyNotWritten(path: string, cause: unknown): Promise<TrackingError> {
    const url = `${this.client.baseUrl}/${this.#url(path)}`;
    const parts = path.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const target = parts.slice(0, depth).join('/');
      const parent = parts.slice(0, depth - 1).join('/');
      const entry = (await this.listArtifacts(parent || undefined).catch(() => [])).find((file) => file.path === target);
      if (!entry) break;
      if (depth === parts.length && entry.isDir) return new TrackingError('INVALID_PARAMETER_VALUE', `artifact ${path} is a directory; a file cannot replace it`, { field: 'path', url, cause });
      if (depth < parts.length && !entry.isDir) return new TrackingError('INVALID_PARAMETER_VALUE', `artifact ${path} would lie under the file ${target}`, { field: 'path', url, cause });
    }
    return cause instanceof TrackingError ? cause : new TrackingError('INTERNAL_ERROR', `could not write artifact ${path}`, { url, cause });
  }

  // The proxy answers a missing file and a directory alike; the listing of its parent tells which it is.
  async #whyNotFile(path: string, cause: unknown): Promise<TrackingError> {
    const slash = path.lastIndexOf('/');
    const parent = slash === -1 ? undefined : path.slice(0, slash);
    const entry = (await this.listArtifacts(parent).catch(() => [])).find((file) => file.path === path);
    const url = `${this.client.baseUrl}/${this.#url(path)}`;
    if (entry?.isDir) return new TrackingError('INVALID_PARAMETER_VALUE', `artifact ${path} is a directory, not a file`, { field: 'path', url, cause });
    return new TrackingError('RESOURCE_DOES_NOT_EXIST', `no artifact at ${path} under ${this.artifactUri}`, { field: 'path', url, cause });
  }
}
