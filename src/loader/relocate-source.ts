import type { UrlDependentPlace } from './lex-module.ts';

// Names of the two helpers appended to a relocated module; long enough not to meet a module's own names.
const SPECIFIER_HELPER = '__plugboard_relocated_specifier';
const META_HELPER = '__plugboard_relocated_meta';

/**
 * Rewrites a module's source so that, imported from another URL (a `data:` URL holding the very bytes the
 * preflight checked), it behaves as it would from `url`: relative specifiers become absolute, `import()` of a
 * computed specifier resolves relative ones against `url`, and `import.meta` reports `url` (its `resolve`
 * too). Bare specifiers are left alone: the page's import map resolves them the same from any module.
 * A `text` place is replaced by its text as given. `epilogue` is code to run after the module's own top-level code. A `sourceURL` comment names `url` in
 * stack traces and developer tools.
 */
export function relocateSource(source: string, url: string, places: readonly UrlDependentPlace[], epilogue = ''): string {
  let relocated = '';
  let at = 0;
  let helpers = false;
  for (const place of places) {
    relocated += source.slice(at, place.start);
    if (place.kind === 'specifier') {
      relocated += JSON.stringify(new URL(place.specifier!, url).href);
    } else if (place.kind === 'text') {
      relocated += place.text!;
    } else if (place.kind === 'computed-import') {
      relocated += `${SPECIFIER_HELPER}(${source.slice(place.start, place.end)})`;
      helpers = true;
    } else {
      // Parenthesised so `new import.meta.Thing()` keeps its meaning.
      relocated += `(${META_HELPER}())`;
      helpers = true;
    }
    at = place.end;
  }
  relocated += withAbsoluteSourceMap(source.slice(at), url) + epilogue;
  if (helpers) relocated += `\n${helperSource(url)}`;
  return `${relocated}\n//# sourceURL=${url}\n`;
}

/**
 * Function declarations are hoisted, so helpers appended at the end serve code above them and leave every
 * line of the module where it was. `import.meta` inside them is the relocated module's own: it still
 * resolves bare specifiers through the page's import map.
 */
function helperSource(url: string): string {
  const base = JSON.stringify(url);
  return [
    `function ${SPECIFIER_HELPER}(specifier) {`,
    `  specifier = String(specifier);`,
    `  return /^\\.{0,2}\\//.test(specifier) ? new URL(specifier, ${base}).href : specifier;`,
    `}`,
    `var ${META_HELPER}_object;`,
    `function ${META_HELPER}() {`,
    `  return ${META_HELPER}_object ??= Object.assign(Object.create(null), import.meta, {`,
    `    url: ${base},`,
    `    resolve: (specifier) => import.meta.resolve(${SPECIFIER_HELPER}(specifier)),`,
    `  });`,
    `}`,
  ].join('\n');
}

const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=(\S+)\s*$/;

/** A relative `sourceMappingURL` would resolve against the new URL; point it at the original place. */
function withAbsoluteSourceMap(tail: string, url: string): string {
  const match = SOURCE_MAP_COMMENT.exec(tail);
  if (!match || /^[a-z][a-z0-9+.-]*:/i.test(match[1]!)) return tail;
  return `${tail.slice(0, match.index)}//# sourceMappingURL=${new URL(match[1]!, url).href}\n`;
}
