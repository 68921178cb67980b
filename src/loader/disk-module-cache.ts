// Node keeps the bytes of network modules on disk, so a re-run works offline and a pinned module is read
// without asking the network again. Nothing here runs in a page: node:fs is imported by a variable name.

/** Where modules fetched over the network are kept on disk, keyed by URL and the bytes' SHA-384 digest. */
export interface DiskModuleCache {
  /** The folder that holds the cache. */
  readonly folder: string;
  /** Bytes kept for `url` whose SHA-384 digest is `digest` (`sha384-<base64>`); undefined when none are. */
  read(url: string, digest: string): Promise<Uint8Array | undefined>;
  /** The bytes last kept for `url`, whatever their digest; undefined when none are. */
  readLatest(url: string): Promise<Uint8Array | undefined>;
  /** Keeps bytes for `url`; written to a temporary file and renamed, so a failed write leaves nothing half-written. */
  write(url: string, bytes: Uint8Array): Promise<void>;
}

/**
 * The user's cache folder for Plugboard: `$XDG_CACHE_HOME/plugboard`, else `~/.cache/plugboard`.
 * Returns undefined where neither is known (no home folder).
 */
export function defaultCacheFolder(env: Record<string, string | undefined> = processEnv()): string | undefined {
  if (env['XDG_CACHE_HOME']) return `${env['XDG_CACHE_HOME'].replace(/\/+$/, '')}/plugboard`;
  if (env['HOME']) return `${env['HOME'].replace(/\/+$/, '')}/.cache/plugboard`;
  return undefined;
}

/** Opens the cache in `folder` (created on the first write). Reads that fail count as a miss. */
export function diskModuleCache(folder: string): DiskModuleCache {
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  const modules = Promise.all([
    import(/* @vite-ignore */ fsName) as Promise<typeof import('node:fs/promises')>,
    import(/* @vite-ignore */ pathName) as Promise<typeof import('node:path')>,
  ]);
  const placeOf = async (url: string) => {
    const [, path] = await modules;
    return path.join(folder, 'modules', await hexDigest('SHA-256', new TextEncoder().encode(url)));
  };
  const readFile = async (file: string) => {
    const [fs] = await modules;
    try {
      return new Uint8Array(await fs.readFile(file));
    } catch {
      return undefined;
    }
  };
  return {
    folder,
    async read(url, digest) {
      if (!digest.startsWith('sha384-')) return undefined;
      const [, path] = await modules;
      const name = base64ToHex(digest.slice('sha384-'.length));
      if (!name) return undefined;
      const bytes = await readFile(path.join(await placeOf(url), name));
      // A file whose bytes do not match its name was damaged on disk: a miss, not an answer.
      if (!bytes || (await hexDigest('SHA-384', bytes)) !== name) return undefined;
      return bytes;
    },
    async readLatest(url) {
      const [fs, path] = await modules;
      const place = await placeOf(url);
      let name: string;
      try {
        name = (await fs.readFile(path.join(place, 'latest'), 'utf8')).trim();
      } catch {
        return undefined;
      }
      if (!/^[0-9a-f]{96}$/.test(name)) return undefined;
      const bytes = await readFile(path.join(place, name));
      if (!bytes || (await hexDigest('SHA-384', bytes)) !== name) return undefined;
      return bytes;
    },
    async write(url, bytes) {
      const [fs, path] = await modules;
      const place = await placeOf(url);
      const name = await hexDigest('SHA-384', bytes);
      await fs.mkdir(place, { recursive: true });
      const temporary = path.join(place, `.${name}.${process.pid}.${Date.now()}.tmp`);
      try {
        await fs.writeFile(temporary, bytes);
        await fs.rename(temporary, path.join(place, name));
        await fs.writeFile(`${temporary}.latest`, `${name}\n`);
        await fs.rename(`${temporary}.latest`, path.join(place, 'latest'));
        await fs.writeFile(path.join(place, 'url'), `${url}\n`);
      } finally {
        await fs.rm(temporary, { force: true });
        await fs.rm(`${temporary}.latest`, { force: true });
      }
    },
  };
}

async function hexDigest(algorithm: 'SHA-256' | 'SHA-384', bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(algorithm, bytes as BufferSource));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function base64ToHex(base64: string): string | undefined {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return undefined;
  }
  let hex = '';
  for (let i = 0; i < binary.length; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

// Read through Reflect: bundlers replace the text `process.env` with an empty object in library builds.
function processEnv(): Record<string, string | undefined> {
  const node = Reflect.get(globalThis, 'process') as { env?: Record<string, string | undefined> } | undefined;
  return node?.env ?? {};
}
