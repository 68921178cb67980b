import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** A path that may be served: its decoded segments. Or why not, with the HTTP status that says it. */
export type SafePath = { path: string; segments: string[] } | { refused: string; status: number };

const MIME_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The Content-Type a file is served with, from its extension (JavaScript as `text/javascript`, as module scripts need); `application/octet-stream` when unknown. */
export function mimeTypeOf(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Decodes a request path (query and fragment dropped) into segments. A segment that is `..` or `.`, holds a
 * backslash or NUL, or names a hidden file (`.env`, `.git`) is refused with 403, malformed percent-encoding with 400:
 * nothing outside the folder, and nothing a plugin folder keeps private, is ever read.
 */
export function safePath(raw: string): SafePath {
  let path: string;
  try {
    path = decodeURIComponent(raw.split('?')[0]!.split('#')[0]!);
  } catch {
    return { refused: `the path ${JSON.stringify(raw)} is not valid percent-encoding`, status: 400 };
  }
  if (!path.startsWith('/')) return { refused: `the path ${JSON.stringify(raw)} does not start with /`, status: 400 };
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    if (segment === '..' || segment === '.' || segment.includes('\\') || segment.includes('\0')) {
      return { refused: `the path ${JSON.stringify(raw)} leaves the plugin folder; only files inside it are served`, status: 403 };
    }
    if (segment.startsWith('.')) return { refused: `${JSON.stringify(segment)} is hidden (its name starts with a dot) and is not served`, status: 403 };
  }
  return { path, segments };
}

/**
 * The file that `segments` name inside `root` (a real path, links resolved), after symbolic links: one that
 * resolves outside the folder is refused with 403, a missing file or a folder with 404.
 */
export async function fileInside(root: string, segments: readonly string[]): Promise<{ path: string } | { refused: string; status: number }> {
  let real: string;
  try {
    real = await realpath(join(root, ...segments));
  } catch {
    return { refused: `${segments.join('/') || '/'} is not in the plugin folder`, status: 404 };
  }
  if (real !== root && !real.startsWith(root + sep)) return { refused: `${segments.join('/')} links outside the plugin folder; only files inside it are served`, status: 403 };
  if (!(await stat(real)).isFile()) return { refused: `${segments.join('/') || '/'} is a folder, not a file`, status: 404 };
  return { path: real };
}
