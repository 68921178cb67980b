import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlugboardError } from '../errors/index.ts';
import { closedPort as findClosedPort } from './closed-port.test-helpers.ts';
import { fetchBytes, isUnreachable } from './fetch-bytes.ts';

let server: Server;
let base: string;
/** A port nobody listens on: opened, then closed. */
let closedPort: number;
beforeAll(async () => {
  closedPort = await findClosedPort();
  server = createServer((request, response) => {
    if (request.url === '/ok.js') response.writeHead(200, { 'Content-Type': 'text/javascript' }).end('export default 1;\n');
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(url: string, options?: { crossOrigin?: boolean }): Promise<PlugboardError> {
  try {
    await fetchBytes(url, options);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(PlugboardError);
    return thrown as PlugboardError;
  }
  throw new Error(`fetching ${url} did not fail`);
}

describe('fetchBytes', () => {
  it('reads the bytes a server answers', async () => {
    expect(new TextDecoder().decode(await fetchBytes(`${base}/ok.js`))).toBe('export default 1;\n');
  });

  it('refuses a scheme plugins do not load from with UNSUPPORTED_SCHEME, naming the scheme', async () => {
    const error = await failure('ftp://files.example/plugin.js');
    expect({ code: error.code, stage: error.stage, url: error.url }).toEqual({ code: 'UNSUPPORTED_SCHEME', stage: 'fetch', url: 'ftp://files.example/plugin.js' });
    expect(error.problem).toContain('ftp:');
  });

  it('says no server answered, with the reason and without a CORS hint, outside a page', async () => {
    const error = await failure(`http://127.0.0.1:${closedPort}/plugin.js`, { crossOrigin: false });
    expect({ code: error.code, stage: error.stage }).toEqual({ code: 'FETCH_FAILED', stage: 'fetch' });
    expect(error.problem).toContain('ECONNREFUSED');
    expect(error.hint).toContain('No server answered');
    expect(error.hint).toContain('CORS does not apply');
    expect(isUnreachable(error)).toBe(true);
  });

  it('names CORS in the hint where a page fetches across origins', async () => {
    const error = await failure(`http://127.0.0.1:${closedPort}/plugin.js`);
    expect(error.hint).toContain('Access-Control-Allow-Origin');
  });

  it('reports the status of a server that answered, which is not "unreachable"', async () => {
    const error = await failure(`${base}/missing.js`, { crossOrigin: false });
    expect(error.problem).toBe('the server answered 404 Not Found');
    expect(isUnreachable(error)).toBe(false);
  });
});
