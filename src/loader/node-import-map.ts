// Node has no import maps; one module resolve hook (node:module register, Node ≥ 20.6) plays their part, so a
// plugin importing a bare specifier gets the same target in Node as in a page. The hook is registered once per
// process, and only when a module is about to be imported that needs it (starting its thread costs ≈ 45 ms);
// later entries reach the thread over a MessagePort, acknowledged before any import relies on them.

/**
 * The hook module: a process-wide map, extended by messages, answering only for its own specifiers. Node's
 * own loader refuses http(s): modules, so the hook resolves them (and what they import relatively) to their
 * URLs and asks the main thread for their source, which has fetched, checked and cached them.
 */
const HOOKS = `
import { pathToFileURL } from 'node:url';
const imports = {};
const waiting = new Map();
let port;
let nextRequest = 0;
export function initialize(data) {
  port = data.port;
  port.on('message', (message) => {
    if (message.reply !== undefined) {
      const pending = waiting.get(message.reply);
      waiting.delete(message.reply);
      if (waiting.size === 0) port.unref();
      if (message.error === undefined) pending.resolve(message.source);
      else pending.reject(new Error(message.error));
      return;
    }
    Object.assign(imports, message.additions);
    port.postMessage(message.id);
  });
  port.unref();
}
const isNetwork = (url) => url.startsWith('http:') || url.startsWith('https:');
const isRelative = (specifier) => specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
export function resolve(specifier, context, nextResolve) {
  let target = Object.hasOwn(imports, specifier) ? imports[specifier] : undefined;
  if (target === undefined) {
    let best = '';
    for (const key of Object.keys(imports)) {
      if (key.endsWith('/') && specifier.startsWith(key) && key.length > best.length) best = key;
    }
    if (best) target = imports[best] + specifier.slice(best.length);
  }
  const wanted = target === undefined ? specifier : target;
  const parent = context.parentURL;
  if (isNetwork(wanted)) return { url: new URL(wanted).href, format: 'module', shortCircuit: true };
  if (parent && isNetwork(parent)) {
    if (isRelative(wanted)) return { url: new URL(wanted, parent).href, format: 'module', shortCircuit: true };
    // Node refuses anything but relative and absolute specifiers from a network parent; a mapped or bare one
    // resolves as it would from the program's working folder (the context is merged, so the parent is replaced).
    return nextResolve(wanted, { ...context, parentURL: pathToFileURL(process.cwd() + '/').href });
  }
  return nextResolve(wanted, context);
}
export async function load(url, context, nextLoad) {
  if (!isNetwork(url)) return nextLoad(url, context);
  const id = nextRequest++;
  const source = await new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    port.ref();
    port.postMessage({ request: id, url });
  });
  return { format: 'module', source, shortCircuit: true };
}
`;

/** What the process's import map holds; the first mapping of a specifier wins, as in a page. */
const mappedInProcess = new Map<string, string>();
/** Entries not yet sent to the hook thread. */
let unsent: Record<string, string> = {};
let hookPort: Promise<MessagePort | undefined> | undefined;
let nextMessageId = 0;

/**
 * Adds import-map entries to the process's map. Returns the specifiers already mapped to another URL (kept as
 * they are), or undefined where the platform has no module hooks. Nothing is in force until `putInForceFor`.
 */
export async function registerNodeImportMap(imports: Record<string, string>): Promise<Array<{ specifier: string; actual: string }> | undefined> {
  const moduleBuiltin = 'node:module';
  const { register } = (await import(/* @vite-ignore */ moduleBuiltin)) as typeof import('node:module');
  if (typeof register !== 'function') return undefined;
  const conflicts: Array<{ specifier: string; actual: string }> = [];
  for (const [specifier, url] of Object.entries(imports)) {
    const actual = mappedInProcess.get(specifier);
    if (actual === undefined) {
      mappedInProcess.set(specifier, url);
      unsent[specifier] = url;
    } else if (actual !== url) conflicts.push({ specifier, actual });
  }
  return conflicts;
}

/**
 * Puts the process's import map in force before `url` is imported. A module inside the host's own folder
 * (the built-in plugins) resolves bare specifiers as the host does; when each entry already resolves there to
 * its mapped target (the host's SDK, through the package's own exports), no hook is needed yet.
 */
export async function putInForceFor(url: string): Promise<void> {
  const network = isNetworkUrl(url);
  if (Object.keys(unsent).length === 0 && !network) return;
  if (!network && url.startsWith(HOST_FOLDER) && [...mappedInProcess].every(([specifier, target]) => resolvesNativelyTo(specifier, target))) return;
  const port = await (hookPort ??= openHookPort());
  const additions = unsent;
  unsent = {};
  if (!port) {
    if (network) {
      throw new Error(`this Node has no module hooks (node:module register), so it cannot import ${url}; use Node 20.6 or later`);
    }
    return;
  }
  if (Object.keys(additions).length === 0) return;
  const id = nextMessageId++;
  const handle = port as MessagePort & { ref?: () => void; unref?: () => void };
  handle.ref?.(); // keep the process alive until the hook thread has the entries
  await new Promise<void>((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.data !== id) return;
      port.removeEventListener('message', onMessage);
      resolve();
    };
    port.addEventListener('message', onMessage);
    port.postMessage({ id, additions });
  });
  handle.unref?.();
}

// Sliced by hand: bundlers rewrite `new URL('./', import.meta.url)` into an asset reference.
const HOST_FOLDER = import.meta.url.slice(0, import.meta.url.lastIndexOf('/') + 1);
const nativeTargets = new Map<string, string | null>();

function resolvesNativelyTo(specifier: string, target: string): boolean {
  if (specifier.endsWith('/')) return false; // a package prefix cannot be checked on its own
  if (!nativeTargets.has(specifier)) {
    try {
      nativeTargets.set(specifier, import.meta.resolve(specifier));
    } catch {
      nativeTargets.set(specifier, null);
    }
  }
  return nativeTargets.get(specifier) === target;
}

/** Answers the hook thread's requests for the source of an http(s) module; set once by the Node environment. */
let networkSource: ((url: string) => Promise<string>) | undefined;

/**
 * Sets who answers for the source of http(s) modules the hook thread loads: the environment, which fetches,
 * checks and caches them. A failure is sent back as its message and fails the import that needed the module.
 */
export function serveNetworkModules(source: (url: string) => Promise<string>): void {
  networkSource = source;
}

/** Whether Node's own loader refuses `url` and the hook must load it. */
export function isNetworkUrl(url: string): boolean {
  return url.startsWith('http:') || url.startsWith('https:');
}

async function openHookPort(): Promise<MessagePort | undefined> {
  const moduleBuiltin = 'node:module';
  const { register } = (await import(/* @vite-ignore */ moduleBuiltin)) as typeof import('node:module');
  if (typeof register !== 'function') return undefined;
  const { port1, port2 } = new MessageChannel();
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
  port1.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as { request?: number; url?: string } | null;
    if (typeof message !== 'object' || message === null || message.request === undefined || message.url === undefined) return;
    const answer = networkSource
      ? networkSource(message.url)
      : Promise.reject(new Error(`no loader environment serves network modules in this process (${message.url})`));
    answer.then(
      (source) => port1.postMessage({ reply: message.request, source }),
      (thrown: unknown) => port1.postMessage({ reply: message.request, error: thrown instanceof Error ? thrown.message : String(thrown) }),
    );
  });
  port1.start();
  (port1 as MessagePort & { unref?: () => void }).unref?.();
  return port1;
}
