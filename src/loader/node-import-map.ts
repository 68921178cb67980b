// Node has no import maps; one module resolve hook (node:module register, Node ≥ 20.6) plays their part, so a
// plugin importing a bare specifier gets the same target in Node as in a page. The hook is registered once per
// process; later entries reach its thread over a MessagePort, acknowledged before any import relies on them.

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

/** What the process's hook maps so far; the first mapping of a specifier wins, as in a page. */
const mappedInProcess = new Map<string, string>();
let hookPort: Promise<MessagePort | undefined> | undefined;
let nextMessageId = 0;

/**
 * Puts import-map entries in force for modules Node imports from now on. Returns the specifiers already
 * mapped to another URL (kept as they are), or undefined where the platform has no module hooks.
 */
export async function registerNodeImportMap(imports: Record<string, string>): Promise<Array<{ specifier: string; actual: string }> | undefined> {
  const port = await (hookPort ??= openHookPort());
  if (!port) return undefined;
  const conflicts: Array<{ specifier: string; actual: string }> = [];
  const additions: Record<string, string> = {};
  for (const [specifier, url] of Object.entries(imports)) {
    const actual = mappedInProcess.get(specifier);
    if (actual === undefined) {
      mappedInProcess.set(specifier, url);
      additions[specifier] = url;
    } else if (actual !== url) conflicts.push({ specifier, actual });
  }
  if (Object.keys(additions).length > 0) {
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
  return conflicts;
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
