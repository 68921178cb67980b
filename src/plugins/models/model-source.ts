// Where a model's files live: one folder URL, worked out from model_name, remote_host and local_path.
import { isNode } from '../data-loaders/open-source.ts';
import type { ResolvedModelConfig } from './model-config.ts';

const NODE_URL = 'node:url';
const NODE_PATH = 'node:path';

/** A Hub id as the Hub spells it: `name` or `owner/name`, letters, digits, `-`, `_` and `.`. */
const HUB_ID = /^(?:[\w.-]+\/)?[\w.-]+$/;

/**
 * Returns the URL of the model's folder, ending in `/`. A model_name with a URL scheme is that folder; in
 * Node a name starting with `/`, `./` or `../` is a folder path, in a page a URL relative to the page; any
 * other name is a Hub id, found under `local_path` when it is set and under `remote_host`'s
 * `{id}/resolve/{revision}/` otherwise. Returns undefined when model_name is none of these.
 */
export async function resolveModelFolder(config: ResolvedModelConfig): Promise<URL | undefined> {
  const name = config.model_name;
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(name)) return asFolder(new URL(name));
  if (/^\.{0,2}\//.test(name)) return asFolder(await locate(name));
  if (!HUB_ID.test(name) || name.split('/').some((part) => part === '.' || part === '..')) return undefined;
  if (config.local_path !== undefined) return new URL(`${name}/`, asFolder(await locate(config.local_path)));
  const host = asFolder(new URL(config.remote_host));
  return new URL(`${name}/resolve/${encodeURIComponent(config.revision)}/`, host);
}

async function locate(pathOrUrl: string): Promise<URL> {
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(pathOrUrl)) return new URL(pathOrUrl);
  if (isNode()) {
    const { pathToFileURL } = (await import(/* @vite-ignore */ NODE_URL)) as typeof import('node:url');
    const { resolve } = (await import(/* @vite-ignore */ NODE_PATH)) as typeof import('node:path');
    return pathToFileURL(resolve(pathOrUrl));
  }
  return new URL(pathOrUrl, globalThis.location?.href);
}

function asFolder(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href.replace(/[?#].*$/, '')}/`);
}
