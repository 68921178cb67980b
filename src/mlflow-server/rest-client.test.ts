import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient } from './index.ts';

// A small real HTTP server standing in for the answers an MLflow server (or something else) gives.
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    const route = request.url ?? '';
    if (route.startsWith('/mlflow-error')) {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=abc not found' }));
    } else if (route.startsWith('/cors-blocked')) {
      response.writeHead(403, { 'Content-Type': 'text/plain' });
      response.end('Cross-origin request blocked');
    } else if (route.startsWith('/html')) {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<!doctype html><p>not an API</p>');
    } else if (route.startsWith('/headers')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
    } else {
      response.writeHead(500);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RestClient', () => {
  it("keeps MLflow's error code and message and names the URL", async () => {
    const error = await new RestClient(base).get('mlflow-error', { run_id: 'abc' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'TrackingError', code: 'RESOURCE_DOES_NOT_EXIST', problem: 'Run with id=abc not found', url: `${base}/mlflow-error?run_id=abc` });
  });

  it("turns the server's plain-text CORS refusal into PERMISSION_DENIED with the flag to set", async () => {
    const error = await new RestClient(base).send('cors-blocked', {}).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', url: `${base}/cors-blocked` });
    expect((error as Error).message).toContain('HTTP 403: Cross-origin request blocked');
    expect((error as { hint: string }).hint).toContain('--cors-allowed-origins');
  });

  it('names the status of an error answer with an empty body, with the code MLflow gives that status', async () => {
    const error = await new RestClient(base).get('nothing').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', problem: 'the MLflow server answered HTTP 500 with an empty body' });
  });

  it('refuses an answer that is not JSON, naming the URL and status', async () => {
    const error = await new RestClient(base).get('html').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', url: `${base}/html` });
    expect((error as Error).message).toContain('(HTTP 200) is not JSON: <!doctype html>');
  });

  it('reports a server nobody answers at as TEMPORARILY_UNAVAILABLE naming its URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await new RestClient(`http://127.0.0.1:${port}/`).get('api/2.0/mlflow/experiments/get').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', url: `http://127.0.0.1:${port}/api/2.0/mlflow/experiments/get` });
    expect((error as Error).message).toContain(`could not reach the MLflow server at http://127.0.0.1:${port}`);
  });

  it('adds the headers of the header function to every request, asked anew each time', async () => {
    let count = 0;
    const client = new RestClient(base, { headers: async () => ({ Authorization: `Bearer t${++count}` }) });
    expect(await client.get('headers')).toEqual({ authorization: 'Bearer t1' });
    expect(await client.get('headers')).toEqual({ authorization: 'Bearer t2' });
    expect(await new RestClient(base).get('headers')).toEqual({ authorization: null });
  });
});
