import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileInside, mimeTypeOf, safePath } from '../dev-server/index.ts';
import { packageManifest, type PluginPackage } from '../packages/index.ts';

/** A request as Vite's dev server hands it to a middleware. */
export type DevRequest = IncomingMessage;
/** A response as Vite's dev server hands it to a middleware. */
export type DevResponse = ServerResponse;

/** Where the dev server serves the app's npm plugin packages, under the app's base: `/@plugboard-packages/<package>/<file>`. */
export const DEV_PACKAGES_PATH = '/@plugboard-packages/';

/**
 * Answers a dev server request under `<base>@plugboard-packages/`: a package's manifest at
 * `<package>/plugboard-manifest.json`, else the package's file as it is on disk now (the files a build would ship:
 * .js, .mjs, .json, .wasm outside node_modules), uncached, JavaScript as `text/javascript`. A path that leaves
 * the package (`..`, encoded or through a link) or names a hidden file is refused with 403; an unknown package or
 * file is 404 naming what is served. Any other request goes to `next`.
 */
export async function servePackageFile(request: DevRequest, response: DevResponse, next: () => void, packages: readonly PluginPackage[], base: string): Promise<void> {
  const prefix = `${base.endsWith('/') ? base : `${base}/`}${DEV_PACKAGES_PATH.slice(1)}`;
  const url = request.url ?? '/';
  if (!url.startsWith(prefix)) return next();
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, `${request.method} is not served here; the app's plugin packages are read only.`);
  const safe = safePath(`/${url.slice(prefix.length)}`);
  if ('refused' in safe) return send(response, safe.status, safe.refused);
  const plugin = packages.find((candidate) => candidate.name.split('/').every((part, index) => safe.segments[index] === part));
  if (!plugin) {
    const names = packages.map((candidate) => candidate.name).join(', ') || 'none';
    return send(response, 404, `no npm plugin package is served at ${url}; the app's plugin packages: ${names}.`);
  }
  const rest = safe.segments.slice(plugin.name.split('/').length);
  if (rest.join('/') === 'plugboard-manifest.json') return sendBytes(request, response, Buffer.from(JSON.stringify(packageManifest(plugin, './'), null, 2)), mimeTypeOf('plugboard-manifest.json'));
  if (rest.includes('node_modules') || !/\.(?:js|mjs|json|wasm)$/.test(rest.at(-1) ?? '')) {
    return send(response, 404, `${rest.join('/') || '/'} is not one of the files ${plugin.name} ships (its .js, .mjs, .json and .wasm files outside node_modules).`);
  }
  const file = await fileInside(plugin.dir, rest);
  if ('refused' in file) return send(response, file.status, file.refused);
  return sendBytes(request, response, await readFile(file.path), mimeTypeOf(file.path));
}

function send(response: DevResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(`plugboard: ${text}\n`);
}

function sendBytes(request: DevRequest, response: DevResponse, bytes: Buffer, type: string): void {
  // Read at each request: a change to the package's files shows at the next page load.
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}
