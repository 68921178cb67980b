import { PlugboardError } from '../errors/index.ts';
import { isBareSpecifier, lexModule, type ModuleShape } from './lex-module.ts';
import { platform } from './platform.ts';
import { toBase64 } from './verify-integrity.ts';

/** What `pinDependencies` needs: the entry module's lexed shape, the plugin's import map and a way to read bytes. */
export interface DependencyWalk {
  /** The entry module's URL and its lexed shape (the preflight has it already). */
  url: string;
  shape: ModuleShape;
  /** The import-map entries the plugin's manifest declares (absolute URLs); bare specifiers not in it are the host's own. */
  imports: Readonly<Record<string, string>>;
  /** Reads a module's bytes (throws a fetch-stage PlugboardError when it cannot). */
  read(url: string): Promise<Uint8Array>;
  /** Turns bytes into source; default UTF-8. */
  toSource?(bytes: Uint8Array, url: string): string | Promise<string>;
}

/**
 * Pins every module the entry imports, directly or through other modules — relative specifiers, full URLs and
 * bare specifiers the plugin's own import map maps, statically or by `import()` of a string — as URL → SHA-384
 * (`sha384-<base64>`) of the bytes read now (the entry itself is not included). Each module is read and lexed
 * once; bare specifiers the plugin does not map (the host's SDK) and `import()` of a computed specifier are not
 * followed. A module that cannot be read or lexed fails the walk, its error naming the module that imports it.
 */
export async function pinDependencies(walk: DependencyWalk): Promise<Record<string, string>> {
  const pins: Record<string, string> = {};
  const queue: Array<{ url: string; shape: ModuleShape }> = [{ url: walk.url, shape: walk.shape }];
  const seen = new Set([walk.url]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const { specifier } of next.shape.imports) {
      const target = resolveDependency(specifier, next.url, walk.imports);
      if (target === undefined || seen.has(target)) continue;
      seen.add(target);
      try {
        const bytes = await walk.read(target);
        pins[target] = `sha384-${toBase64(new Uint8Array(await platform.digest!('SHA-384', bytes as BufferSource)))}`;
        const source = walk.toSource ? await walk.toSource(bytes, target) : platform.decodeUtf8(bytes);
        queue.push({ url: target, shape: await lexModule(source, target) });
      } catch (thrown) {
        throw importedBy(thrown, target, next.url);
      }
    }
  }
  return pins;
}

/**
 * The URL a specifier of the module at `parent` names, when it is one of the plugin's own modules: relative and
 * full http(s)/file URLs, and bare specifiers in the plugin's import map (exact, or the longest prefix ending in
 * `/`, as an import map resolves them). Undefined for a bare specifier the plugin does not map and other schemes.
 */
export function resolveDependency(specifier: string, parent: string, imports: Readonly<Record<string, string>>): string | undefined {
  let target: string;
  if (!isBareSpecifier(specifier)) {
    target = new URL(specifier, parent).href;
  } else if (imports[specifier] !== undefined) {
    target = new URL(imports[specifier]!, parent).href;
  } else {
    let prefix: string | undefined;
    for (const key of Object.keys(imports)) if (key.endsWith('/') && specifier.startsWith(key) && (!prefix || key.length > prefix.length)) prefix = key;
    if (prefix === undefined) return undefined;
    target = new URL(specifier.slice(prefix.length), new URL(imports[prefix]!, parent)).href;
  }
  return /^(https?|file):/.test(target) ? target : undefined;
}

function importedBy(thrown: unknown, url: string, importer: string): unknown {
  if (!(thrown instanceof PlugboardError)) return thrown;
  return new PlugboardError({
    code: thrown.code,
    problem: `${thrown.problem} (a module imported by ${importer})`,
    url: thrown.url ?? url,
    ...(thrown.stage !== undefined ? { stage: thrown.stage } : {}),
    ...(thrown.field !== undefined ? { field: thrown.field } : {}),
    hint: thrown.hint ?? `Check that ${importer} imports a module that is served.`,
    cause: thrown,
  });
}
