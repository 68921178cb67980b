// Serves the built app (dist-app/, made by `npm run build`) under a Content-Security-Policy, as a careful deployer
// would: `self` is script-src 'self' 'wasm-unsafe-eval' (`no-workers` adds worker-src 'none'); `nonce` is script-src 'nonce-…' 'strict-dynamic'
// 'wasm-unsafe-eval', with a fresh nonce per page given to the page's own <script> tags, as a server template does.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../dist-app/', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.map': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };

/**
 * Starts a server of dist-app under `policy` on a free port, at `options.base` (default `/`; other paths answer
 * 404, as on a server where the app is one of several); resolves with its URL (base included, no trailing
 * slash) and a way to stop it.
 */
export async function serveBuiltApp(policy, options = {}) {
  const base = options.base ?? '/';
  const server = createServer((request, response) => {
    const requested = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const path = requested.startsWith(base) ? `/${requested.slice(base.length)}` : undefined;
    const file = path === undefined ? '' : normalize(join(root, path === '/' ? 'index.html' : path.slice(1)));
    let body;
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error('not a file');
      body = readFileSync(file);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
      return;
    }
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' };
    if (extname(file) === '.html') {
      const nonce = randomBytes(16).toString('base64');
      headers['Content-Security-Policy'] =
        policy === 'nonce'
          ? `script-src 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'`
          : policy === 'no-workers'
            ? "script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'"
            : "script-src 'self' 'wasm-unsafe-eval'";
      if (policy === 'nonce') body = Buffer.from(body.toString('utf8').replaceAll('<script', `<script nonce="${nonce}"`));
    }
    response.writeHead(200, headers).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${base.replace(/\/$/, '')}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
