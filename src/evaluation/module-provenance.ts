import { messageOf } from '../errors/index.ts';

/** One module of a plugin's code besides its entry module: where it was read and the SHA-384 of its bytes. */
export interface ModuleDigest {
  url: string;
  /** `sha384-<base64>` of the module's bytes; absent when they could not be read (then `problem` says why). */
  sha384?: string;
  /** Why the bytes could not be read. */
  problem?: string;
  /**
   * Imported by `import()`: code the plugin loads only when its options call for it (bleu's SentencePiece
   * tokenizer for tokenize "flores101"), so it may not have run for this evaluation.
   */
  onDemand?: true;
  /** The plugin whose entry module this is (`group/name`), when one is registered at this URL: a tokenizer a metric imports. */
  plugin?: string;
}

/** How the module graph is read: each module's digest and imports, bare specifiers through the host's import map. */
export interface ModuleGraphReader {
  /** The digest of the module's bytes and what it imports; throws when the bytes cannot be read. */
  inspect(url: string): Promise<{ sha384: string; imports: readonly { specifier: string; dynamic: boolean }[] }>;
  /** The host's import map: bare specifier (or prefix ending in `/`) → URL. */
  imports: Readonly<Record<string, string>>;
  /** The plugin (`group/name`) whose entry module is at `url`, if any. */
  pluginAt?(url: string): string | undefined;
}

/**
 * Every module a plugin's entry module brings with it, sorted by URL: the modules of its static import graph
 * (they ran whenever the plugin did), then the modules its code imports by `import()` of a string literal
 * with their own static graphs, marked `onDemand` (whether the options called for them is not visible from
 * outside the plugin, so they are recorded and checked as well). What on-demand modules themselves import
 * on demand (a WebAssembly build, a model runtime) is not followed: it is a library's, not a plugin's, code.
 * A bare specifier resolves through `imports`; one the map does not resolve (a Node package) is recorded
 * by name with a problem saying so. A module whose bytes cannot be read is recorded with its problem.
 */
export async function moduleGraphOf(entryUrl: string, reader: ModuleGraphReader): Promise<ModuleDigest[]> {
  const seen = new Map<string, ModuleDigest>();
  const onDemandRoots = new Set<string>();
  const walk = async (roots: readonly string[], onDemand: boolean) => {
    let frontier = [...roots];
    while (frontier.length) {
      const next: string[] = [];
      await Promise.all(
        frontier.map(async (url) => {
          let inspected: Awaited<ReturnType<ModuleGraphReader['inspect']>>;
          try {
            inspected = await reader.inspect(url);
          } catch (thrown) {
            if (url !== entryUrl) seen.set(url, { url, problem: `its bytes could not be read: ${messageOf(thrown)}`, ...(onDemand ? { onDemand } : {}) });
            return;
          }
          if (url !== entryUrl) {
            const plugin = reader.pluginAt?.(url);
            seen.set(url, { url, sha384: inspected.sha384, ...(onDemand ? { onDemand } : {}), ...(plugin ? { plugin } : {}) });
          }
          for (const { specifier, dynamic } of inspected.imports) {
            const target = resolveSpecifier(specifier, url, reader.imports);
            if (target === undefined) {
              if (!seen.has(specifier)) seen.set(specifier, { url: specifier, problem: "a bare specifier the host's import map does not map (the platform resolved it)", ...(onDemand ? { onDemand } : {}) });
              continue;
            }
            if (target === entryUrl || seen.has(target)) continue;
            if (dynamic) {
              if (!onDemand) onDemandRoots.add(target);
              continue;
            }
            // Claimed now, so a module two others import is read once.
            seen.set(target, { url: target });
            next.push(target);
          }
        }),
      );
      frontier = next;
    }
  };
  await walk([entryUrl], false);
  const roots = [...onDemandRoots].filter((url) => !seen.has(url));
  for (const url of roots) seen.set(url, { url, onDemand: true });
  await walk(roots, true);
  const modules = [...seen.values()];
  return [...modules.filter((module) => !module.onDemand).sort(byUrl), ...modules.filter((module) => module.onDemand).sort(byUrl)];
}

function byUrl(a: ModuleDigest, b: ModuleDigest): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/** Where a specifier of the module at `parent` points, as an import map resolves it; undefined for a bare specifier the map lacks. */
export function resolveSpecifier(specifier: string, parent: string, imports: Readonly<Record<string, string>>): string | undefined {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(specifier)) {
    return new URL(specifier, parent).href;
  }
  const exact = imports[specifier];
  if (exact !== undefined) return new URL(exact, parent).href;
  let best: string | undefined;
  for (const key of Object.keys(imports)) if (key.endsWith('/') && specifier.startsWith(key) && (!best || key.length > best.length)) best = key;
  return best ? new URL(specifier.slice(best.length), new URL(imports[best]!, parent)).href : undefined;
}
