// Node has no import maps; one module resolve hook (node:module register, Node ≥ 20.6) plays their part, so a
// plugin importing a bare specifier gets the same target in Node as in a page. The hook is registered once per
// process, and only when a module is about to be imported that needs it (starting its thread costs ≈ 45 ms);
// later entries reach the thread over a MessagePort, acknowledged before any import relies on them.

/** The hook module: a process-wide map, extended by messages, answering only for its own specifiers. */
const HOOKS = `
const imports = {};
export function initialize({ port }) {
  port.on('message', ({ id, additions }) => { Object.assign(imports, additions); port.postMessage(id); });
  port.unref();
}
export function resolve(specifier, context, nextResolve) {
  let target = Object.hasOwn(imports, specifier) ? imports[specifier] : undefined;
  if (target === undefined) {
    let best = '';
    for (const key of Object.keys(imports)) {
      if (key.endsWith('/') && specifier.startsWith(key) && key.length > best.length) best = key;
    }
    if (best) target = imports[best] + specifier.slice(best.length);
  }
  return target === undefined ? nextResolve(specifier, context) : nextResolve(target, context);
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
  if (Object.keys(unsent).length === 0) return;
  if (url.startsWith(HOST_FOLDER) && [...mappedInProcess].every(([specifier, target]) => resolvesNativelyTo(specifier, target))) return;
  const port = await (hookPort ??= openHookPort());
  const additions = unsent;
  unsent = {};
  if (!port || Object.keys(additions).length === 0) return;
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

async function openHookPort(): Promise<MessagePort | undefined> {
  const moduleBuiltin = 'node:module';
  const { register } = (await import(/* @vite-ignore */ moduleBuiltin)) as typeof import('node:module');
  if (typeof register !== 'function') return undefined;
  const { port1, port2 } = new MessageChannel();
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
  port1.start();
  (port1 as MessagePort & { unref?: () => void }).unref?.();
  return port1;
}
