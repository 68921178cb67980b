import { pageNonce } from './page-nonce.ts';

/** What installing an import map found. */
export interface ImportMapInstall {
  conflicts: ImportMapConflict[];
  /**
   * Whether a page import map has `scopes`. Scopes are keyed by the importing module's URL, so a module run
   * from its checked source (inline or from a `data:` URL) would miss them; such pages import plugins by URL.
   */
  pageHasScopes: boolean;
}

/** An import-map entry the page could not take as asked. */
export interface ImportMapConflict {
  specifier: string;
  /** The URL the manifests (or the host) ask for. */
  wanted: string;
  /** Where the specifier resolves instead, or null when it does not resolve. */
  actual: string | null;
  reason: 'mapped-differently' | 'already-resolved' | 'unsupported';
}

/**
 * Adds an import map with the entries the page does not have yet, and reports the ones it cannot honour.
 * Chromium merges several import maps with "first wins" rules: a specifier already in an earlier map, or
 * already resolved by a module, keeps its old target — so the new target is checked after insertion with
 * `import.meta.resolve` instead of being trusted. https://html.spec.whatwg.org/multipage/webappapis.html#merge-existing-and-new-import-maps
 */
export function installImportMap(imports: Record<string, string>, integrity: Record<string, string>): ImportMapInstall {
  const conflicts: ImportMapConflict[] = [];
  if (typeof HTMLScriptElement.supports === 'function' && !HTMLScriptElement.supports('importmap')) {
    return {
      conflicts: Object.entries(imports).map(([specifier, wanted]) => ({ specifier, wanted, actual: null, reason: 'unsupported' })),
      pageHasScopes: false,
    };
  }
  const existing = readPageImportMaps();
  const done = () => ({ conflicts, pageHasScopes: existing.scoped });
  const additions: Record<string, string> = {};
  for (const [specifier, wanted] of Object.entries(imports)) {
    const current = existing.imports[specifier];
    if (current === undefined) additions[specifier] = wanted;
    else if (current !== wanted) conflicts.push({ specifier, wanted, actual: current, reason: 'mapped-differently' });
  }
  const integrityAdditions = Object.fromEntries(
    Object.entries(integrity).filter(([url]) => existing.integrity[url] === undefined),
  );
  if (Object.keys(additions).length === 0 && Object.keys(integrityAdditions).length === 0) return done();

  const script = document.createElement('script');
  script.type = 'importmap';
  script.dataset['plugboard'] = '';
  // A page whose policy allows its scripts by nonce allows this map too.
  const nonce = pageNonce();
  if (nonce) script.nonce = nonce;
  script.textContent = JSON.stringify({ imports: additions, integrity: integrityAdditions });
  document.head.append(script);

  for (const [specifier, wanted] of Object.entries(additions)) {
    if (specifier.endsWith('/')) continue; // a package prefix cannot be resolved on its own
    let actual: string | null;
    try {
      actual = import.meta.resolve(specifier);
    } catch {
      actual = null;
    }
    if (actual !== wanted) conflicts.push({ specifier, wanted, actual, reason: 'already-resolved' });
  }
  return done();
}

/**
 * The page's import maps merged the way the browser merges them: the first map to name a specifier wins.
 * `scoped` says whether any map has `scopes`.
 */
function readPageImportMaps(): { imports: Record<string, string>; integrity: Record<string, string>; scoped: boolean } {
  const merged = { imports: {} as Record<string, string>, integrity: {} as Record<string, string>, scoped: false };
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[type="importmap"]')) {
    let map: { imports?: Record<string, string>; integrity?: Record<string, string>; scopes?: object };
    try {
      map = JSON.parse(script.textContent ?? '{}');
    } catch {
      continue; // the browser ignores (and reports) an invalid map too
    }
    for (const [specifier, target] of Object.entries(map.imports ?? {})) {
      merged.imports[specifier] ??= new URL(target, document.baseURI).href;
    }
    for (const [target, hash] of Object.entries(map.integrity ?? {})) {
      merged.integrity[new URL(target, document.baseURI).href] ??= hash;
    }
    merged.scoped ||= Object.keys(map.scopes ?? {}).length > 0;
  }
  return merged;
}
