import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PlugboardError, type ErrorFields } from '../errors/index.ts';
import { fileInside, mimeTypeOf, safePath, type SafePath } from './file-inside.ts';
import { checkModules } from './check-modules.ts';
import { readPluginFolder, type PluginFolder } from './read-plugin-folder.ts';
import { watchFolder } from './watch-folder.ts';

/** The port `plugboard dev` listens on unless told otherwise. */
export const DEFAULT_DEV_PORT = 5183;

/** The path under which every file is also served with a generation number, so each change has URLs of its own. */
export const GENERATION_PREFIX = '/@dev/';

/** The path of the Server-Sent Events stream that tells connected apps about changes. */
export const EVENTS_PATH = '/@dev/events';

/** The path the folder's manifest is served at (a package.json's `plugboard` field is served as a manifest too). */
export const MANIFEST_PATH = '/plugins-manifest.json';

/** What the dev server sends connected apps when it starts serving them and after each change (the `data` of `ready` and `change` events). */
export interface DevServerEvent {
  /** Counts changes from 1; a module's URL under `/@dev/<generation>/` is new after each change. */
  generation: number;
  /** The manifest's URL for this generation: its relative module URLs resolve under the generation's path. */
  manifest: string;
  /** The files that changed, relative to the folder, `/`-separated (empty in `ready`). */
  files: string[];
  /** What is wrong with the folder's manifest now, each naming the file and JSON path; empty when it is fine. */
  problems: ErrorFields[];
}

/** How `startDevServer` serves a folder. */
export interface DevServerOptions {
  /** The plugin folder: it holds plugins-manifest.json, or package.json with a `plugboard` field. */
  folder: string;
  /** The port on 127.0.0.1 (default 5183; 0 takes any free port). */
  port?: number;
  /**
   * Origins that may read the files besides pages on localhost, 127.0.0.1 and [::1] (any port), which always may:
   * an app served from elsewhere (`https://app.example`).
   */
  origins?: readonly string[];
  /** Called after each change has been read and sent to the connected apps. */
  onChange?(event: DevServerEvent): void;
  /** How long the server waits for a burst of file events to settle before it reads the folder again (default 60 ms). */
  settleMs?: number;
}

/** A running dev server. */
export interface DevServer {
  /** The server's root URL, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The URL to give the app: the folder's manifest. */
  readonly manifestUrl: string;
  /** The generation now being served (1 at start, one more per change). */
  readonly generation: number;
  /** The folder as last read: its manifest and problems. */
  readonly folder: PluginFolder;
  /** How many apps are connected to the change stream now. */
  readonly connections: number;
  /** Stops watching, ends every connection and closes the port; resolves when all of it is done. */
  close(): Promise<void>;
}

// Pages on this machine may read the dev server, as Vite's dev server allows by default; others need --origin.
const LOCAL_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;

/**
 * Serves a plugin folder over HTTP on 127.0.0.1 for an app to develop against: the files (JavaScript as
 * `text/javascript`, CORS for local pages and `origins`), the manifest at `/plugins-manifest.json`, every file
 * again under `/@dev/<generation>/`, and a Server-Sent Events stream at `/@dev/events` that announces each change
 * once the folder has been read and checked again. Nothing outside the folder is served, nor any file or folder
 * whose name starts with a dot. Throws DEV_FOLDER_MISSING or DEV_NO_MANIFEST for a folder without a manifest, and
 * DEV_PORT_TAKEN when the port is in use; a manifest with problems is served as it is, its problems reported.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  let folder = await checked(readPluginFolder(options.folder));
  const root = await realpath(folder.dir);
  const origins = new Set(options.origins ?? []);
  const clients = new Set<ServerResponse>();
  let generation = 1;
  let port = 0;

  const eventOf = (files: string[]): DevServerEvent => ({
    generation,
    manifest: `http://127.0.0.1:${port}${GENERATION_PREFIX}${generation}${MANIFEST_PATH}`,
    files,
    problems: folder.problems.map(fieldsOf),
  });

  const server = createServer((request, response) => {
    void handle(request, response).catch((thrown: unknown) => {
      if (!response.headersSent) send(response, 500, `plugboard dev: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding): only this server's own names are answered.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}` && host !== `[::1]:${port}`) {
      return send(response, 403, `plugboard dev: the Host header ${JSON.stringify(host)} is not this server (127.0.0.1:${port}).\n`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!LOCAL_ORIGIN.test(origin) && !origins.has(origin)) {
        return send(response, 403, `plugboard dev: pages of ${origin} may not read this dev server; start it with --origin ${origin} to allow them.\n`);
      }
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
      response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? '');
      // A page served from a public address asks before it reads a local server (Private Network Access).
      if (request.headers['access-control-request-private-network'] === 'true') response.setHeader('Access-Control-Allow-Private-Network', 'true');
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD, OPTIONS');
      return send(response, 405, `plugboard dev: ${request.method} is not served; the dev server only reads files.\n`);
    }
    const target = requestPath(request.url ?? '/');
    if ('refused' in target) return send(response, target.status, `plugboard dev: ${target.refused}\n`);
    if (target.path === EVENTS_PATH) return openEvents(response);
    if (target.path === MANIFEST_PATH && !folder.file.endsWith('plugins-manifest.json')) {
      return sendBytes(request, response, Buffer.from(`${JSON.stringify(folder.manifest ?? {}, null, 2)}\n`), mimeTypeOf(MANIFEST_PATH));
    }
    const file = await fileInside(root, target.segments);
    if ('refused' in file) return send(response, file.status, `plugboard dev: ${file.refused}\n`);
    return sendBytes(request, response, await readFile(file.path), mimeTypeOf(file.path));
  }

  function openEvents(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(`retry: 1000\n\n${frame('ready', eventOf([]))}`);
    clients.add(response);
    response.on('close', () => clients.delete(response));
  }

  // A comment now and then keeps proxies and the browser from closing a quiet stream.
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': still here\n\n');
  }, 15_000);
  keepAlive.unref();

  const pending = new Set<string>();
  let closed = false;
  let settle: ReturnType<typeof setTimeout> | undefined;
  const changed = (file: string) => {
    pending.add(file);
    clearTimeout(settle);
    settle = setTimeout(announce, options.settleMs ?? 60);
  };
  // Changes are read one after the other, so the generations go out in order.
  let reading: Promise<void> = Promise.resolve();
  const announce = () => {
    reading = reading.then(readChange);
  };
  async function readChange(): Promise<void> {
    const files = [...pending].sort();
    pending.clear();
    try {
      folder = await checked(readPluginFolder(root));
    } catch (thrown) {
      // The manifest was deleted or renamed: the app keeps what it has and shows why nothing new comes.
      folder = { ...folder, manifest: undefined, entryPoints: 0, modules: [], problems: [thrown instanceof PlugboardError ? thrown : new PlugboardError({ code: 'DEV_READ_FAILED', problem: String(thrown) })] };
    }
    if (closed) return;
    generation += 1;
    const event = eventOf(files);
    for (const client of clients) client.write(frame('change', event));
    options.onChange?.(event);
  }

  const watcher = watchFolder(root, changed, (thrown) => {
    folder = { ...folder, problems: [new PlugboardError({ code: 'DEV_WATCH_FAILED', url: root, problem: `watching ${root} failed: ${thrown.message}`, hint: 'Restart plugboard dev.' })] };
    changed('');
  });

  try {
    port = await listen(server, options.port ?? DEFAULT_DEV_PORT);
  } catch (thrown) {
    watcher.close();
    clearInterval(keepAlive);
    throw thrown;
  }
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    manifestUrl: `http://127.0.0.1:${port}${MANIFEST_PATH}`,
    get generation() {
      return generation;
    },
    get folder() {
      return folder;
    },
    get connections() {
      return clients.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        watcher.close();
        clearTimeout(settle);
        clearInterval(keepAlive);
        for (const client of clients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The folder with its modules' problems added: each entry's module lexed as the page's preflight does. */
async function checked(folder: PluginFolder): Promise<PluginFolder> {
  return { ...folder, problems: [...folder.problems, ...(await checkModules(folder))] };
}

/** One Server-Sent Events frame: an event name and its JSON data on one line. */
function frame(event: string, data: DevServerEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function fieldsOf(error: PlugboardError): ErrorFields {
  const { code, problem, hint, url, field, group, plugin, stage } = error;
  return { code, problem, ...(hint ? { hint } : {}), ...(url ? { url } : {}), ...(field ? { field } : {}), ...(group ? { group } : {}), ...(plugin ? { plugin } : {}), ...(stage ? { stage } : {}) };
}

/** The path a request names, with `/@dev/<generation>` taken off, as safe segments (see safePath). */
function requestPath(raw: string): SafePath {
  const safe = safePath(raw);
  if ('refused' in safe || !safe.path.startsWith(GENERATION_PREFIX) || safe.path === EVENTS_PATH) return safe;
  const [generation, ...rest] = safe.segments.slice(1);
  return generation !== undefined && /^\d+$/.test(generation) && rest.length > 0 ? { path: `/${rest.join('/')}`, segments: rest } : safe;
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
}

function sendBytes(request: IncomingMessage, response: ServerResponse, bytes: Buffer, type: string): void {
  // The bytes change by design: nothing may keep them, or the app would run an old version.
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** Listens on 127.0.0.1 and resolves with the port; a port in use is DEV_PORT_TAKEN naming it and how to choose another. */
function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (thrown: NodeJS.ErrnoException) => {
      const taken = thrown.code === 'EADDRINUSE';
      reject(
        new PlugboardError({
          code: taken ? 'DEV_PORT_TAKEN' : 'DEV_LISTEN_FAILED',
          problem: taken ? `port ${port} of 127.0.0.1 is taken by another program` : `cannot listen on 127.0.0.1:${port}: ${thrown.message}`,
          hint: `Choose another port with --port (for example --port ${port === 65535 ? port - 1 : port + 1}), or --port 0 for any free one.`,
          cause: thrown,
        }),
      );
    });
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
