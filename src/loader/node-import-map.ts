// Node has no import maps; a module resolve hook (node:module register, Node ≥ 20.6) plays their part, so a
// plugin importing a bare specifier gets the same target in Node as in a page.

/** The hook module, registered once per map: it answers only for the specifiers of its own map. */
const HOOKS = `
let imports = {};
export function initialize(data) { imports = data.imports; }
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

/**
 * Puts import-map entries in force for modules Node imports from now on. Returns false where the
 * platform has no module hooks (then bare specifiers resolve through node_modules alone).
 */
export async function registerNodeImportMap(imports: Record<string, string>): Promise<boolean> {
  if (Object.keys(imports).length === 0) return true;
  const moduleBuiltin = 'node:module';
  const { register } = (await import(/* @vite-ignore */ moduleBuiltin)) as typeof import('node:module');
  if (typeof register !== 'function') return false;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { imports } });
  return true;
}
