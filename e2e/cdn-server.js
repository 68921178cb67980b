// A second origin standing in for a CDN: serves e2e/fixtures/cdn/ and the built dist/ with CORS headers.
// Usage: node e2e/cdn-server.js [port]   (default 4174, on 127.0.0.1)
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? process.env.CDN_PORT ?? 4174);
const fixtures = fileURLToPath(new URL('./fixtures/cdn/', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.map': 'application/json', '.csv': 'text/csv', '.txt': 'text/plain' };

createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  const [root, rest] = path.startsWith('/dist/') ? [dist, path.slice('/dist/'.length)] : [fixtures, path.slice(1)];
  const file = normalize(join(root, rest));
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Cache-Control', 'no-cache');
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
}).listen(port, '127.0.0.1', () => console.log(`fixture CDN at http://127.0.0.1:${port}/`));
