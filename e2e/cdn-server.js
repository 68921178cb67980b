// A second origin standing in for a CDN: serves e2e/fixtures/cdn/, the built dist/ and (under /models/) the
// tiny models of src/plugins/models/fixtures/, with CORS headers.
// Usage: node e2e/cdn-server.js [port]   (default 4174, on 127.0.0.1)
// Besides files it answers, for tests of what the browser asked and ran:
//   /__requests?url=<path and query>  how many times that URL was requested (JSON number)
//   /versions/<any>/served.js         a metric module whose score is how many times this URL was requested
//   /csp/<policy>.html                a blank page under a Content-Security-Policy (see POLICIES)
//   /redirect?to=<url>                a 302 to that URL (a redirect that may leave the allowed origins)
//   /never-ends.js                    headers and one chunk of a module, then a body that never ends
//   /__open-never-ends                how many /never-ends.js answers are still open (JSON number)
//   /held-models/<model>/<file>       the tiny model's file as under /models/, except that one under onnx/ sends its
//                                     headers and first bytes, then never ends (a model load still under way)
//   /__open-held                      how many /held-models/…/onnx/ answers are still open (JSON number)
//   PUT /mutable/<path>               keeps the request's body and serves it at GET /mutable/<path> from then on
//                                     (files a test writes and changes, such as a module whose bytes change)
// Tests in Node serve the same answers from their own servers through `handle`.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const fixtures = fileURLToPath(new URL('./fixtures/cdn/', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const models = fileURLToPath(new URL('../src/plugins/models/fixtures/', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html', '.map': 'application/json', '.csv': 'text/csv', '.txt': 'text/plain' };

const POLICIES = {
  // Neither inline scripts nor data: URLs may run: plugins can only be imported by URL.
  strict: "script-src 'self' 'wasm-unsafe-eval'",
  // data: URLs may run, inline scripts may not.
  data: "script-src 'self' 'wasm-unsafe-eval' data:",
  // Not even WebAssembly: the preflight's lexer cannot start.
  nowasm: "script-src 'self'",
};
const requests = new Map();
let openNeverEnds = 0;
let openHeld = 0;
/** What tests put under /mutable/: path → bytes. */
const mutable = new Map();

/** Answers one request as the fixture CDN does. */
export function handle(request, response) {
  const requested = new URL(request.url ?? '/', 'http://x');
  const path = decodeURIComponent(requested.pathname);
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Cache-Control', 'no-cache');
  const count = (requests.get(path + requested.search) ?? 0) + 1;
  requests.set(path + requested.search, count);
  if (path === '/__requests') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(String(requests.get(requested.searchParams.get('url')) ?? 0));
    return;
  }
  if (path === '/__open-never-ends') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(String(openNeverEnds));
    return;
  }
  if (path === '/__open-held') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(String(openHeld));
    return;
  }
  if (path.startsWith('/held-models/') && path.includes('/onnx/')) {
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 1 << 20 });
    response.write(Buffer.alloc(16));
    openHeld += 1;
    response.on('close', () => (openHeld -= 1));
    return; // the body stays open until the client gives up
  }
  if (path.startsWith('/mutable/')) {
    if (request.method === 'PUT') {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        mutable.set(path, Buffer.concat(chunks));
        response.writeHead(204).end();
      });
      return;
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, PUT' }).end();
      return;
    }
    const body = mutable.get(path);
    if (body === undefined) response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
    else response.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Length': body.length }).end(body);
    return;
  }
  if (path === '/redirect') {
    response.writeHead(302, { Location: requested.searchParams.get('to') ?? '/' }).end();
    return;
  }
  if (path === '/never-ends.js') {
    response.writeHead(200, { 'Content-Type': 'text/javascript' });
    response.write('export const neverEnds = () => ({ score: 1 });\n');
    openNeverEnds += 1;
    response.on('close', () => (openNeverEnds -= 1));
    return; // the body stays open until the client gives up
  }
  if (path.startsWith('/versions/') && path.endsWith('/served.js')) {
    response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(`export const served = () => ({ score: ${count} });\n`);
    return;
  }
  const policy = /^\/csp\/(\w+)\.html$/.exec(path)?.[1];
  if (policy && POLICIES[policy]) {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': POLICIES[policy] }).end('<!doctype html><title>csp</title>\n');
    return;
  }
  const [root, rest] = path.startsWith('/dist/') ? [dist, path.slice('/dist/'.length)] : path.startsWith('/models/') ? [models, path.slice('/models/'.length)] : path.startsWith('/held-models/') ? [models, path.slice('/held-models/'.length)] : [fixtures, path.slice(1)];
  const file = normalize(join(root, rest));
  let size;
  try {
    if (!file.startsWith(root)) throw new Error('outside');
    size = statSync(file).isFile() ? statSync(file).size : undefined;
  } catch {
    size = undefined;
  }
  if (size === undefined) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
    return;
  }
  response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
  createReadStream(file).pipe(response);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? process.env.CDN_PORT ?? 4174);
  createServer(handle).listen(port, '127.0.0.1', () => console.log(`fixture CDN at http://127.0.0.1:${port}/`));
}
