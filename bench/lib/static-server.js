// A small static HTTP server for the browser cases: one instance is the app origin, another the "CDN".
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
  '.csv': 'text/csv',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};
const STREAM_ABOVE = 8 * 1024 * 1024;
const SDK_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])plugboard\/sdk\2/g;

/**
 * Starts a server on 127.0.0.1 (port 0 picks a free one) and resolves with `{ origin, close() }`.
 * `mounts` maps URL prefixes ('/dist/') to folders; the longest matching prefix wins, a path outside its
 * folder or a missing file is a 404. Every answer carries `Access-Control-Allow-Origin: *` and the given
 * `cacheControl`, plus an ETag so `no-cache` revalidations get 304s as a CDN would answer them.
 * `workerMounts` are prefixes whose JavaScript is served with the bare `plugboard/sdk` import rewritten to
 * `sdkUrl`: module Workers have no import maps, so this server resolves the one bare name a built plugin
 * uses, as a CDN such as esm.sh does. Small files are read once and kept in memory.
 */
export function startStaticServer({ port = 0, mounts, workerMounts = {}, cacheControl = 'no-cache', routes = {} }) {
  const memory = new Map();
  const allMounts = [
    ...Object.entries(mounts).map(([prefix, folder]) => ({ prefix, folder, rewrite: false })),
    ...Object.entries(workerMounts).map(([prefix, folder]) => ({ prefix, folder, rewrite: true })),
  ].sort((a, b) => b.prefix.length - a.prefix.length);
  let origin = '';
  let requests = 0;
  let notModified = 0;

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requests += 1;
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', cacheControl);
    response.setHeader('Timing-Allow-Origin', '*');
    if (routes[path]) {
      const { body, type } = routes[path];
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) }).end(body);
      return;
    }
    const mount = allMounts.find((candidate) => path.startsWith(candidate.prefix));
    const file = mount ? normalize(join(mount.folder, path.slice(mount.prefix.length))) : '';
    let size;
    try {
      size = mount && file.startsWith(normalize(mount.folder)) && statSync(file).isFile() ? statSync(file).size : undefined;
    } catch {
      size = undefined;
    }
    if (size === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (size > STREAM_ABOVE) {
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
      createReadStream(file).pipe(response);
      return;
    }
    const key = `${mount.rewrite}:${file}`;
    let cached = memory.get(key);
    if (!cached) {
      let body = readFileSync(file);
      if (mount.rewrite && type === 'text/javascript') {
        body = Buffer.from(body.toString('utf8').replace(SDK_IMPORT, `$1$2${origin}${mount.prefix}sdk.js$2`));
      }
      cached = { body, etag: `"${body.length.toString(16)}-${statSync(file).mtimeMs.toString(16)}"` };
      memory.set(key, cached);
    }
    response.setHeader('ETag', cached.etag);
    if (request.headers['if-none-match'] === cached.etag) {
      notModified += 1;
      response.writeHead(304).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': type, 'Content-Length': cached.body.length }).end(cached.body);
  });
  server.keepAliveTimeout = 60_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        /** Requests answered so far, and how many of them were 304 revalidations; `reset` starts counting again. */
        counts: ({ reset = false } = {}) => {
          const counted = { requests, notModified };
          if (reset) requests = notModified = 0;
          return counted;
        },
        /** Forgets the files read so far (a generated fixture was rewritten). */
        forget: () => memory.clear(),
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

