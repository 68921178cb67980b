import { PlugboardError } from '../errors/index.ts';
import { originOf } from './origin-of.ts';

/**
 * Splits the manifests' import-map entries into those whose target is of an allowed origin and one
 * ORIGIN_NOT_ALLOWED problem (stage `manifest`) per other: a target is code every plugin importing the
 * specifier runs, so it is held to the same origins as the plugins. A refused entry is not mapped, so a plugin
 * that imports it fails its preflight with UNMAPPED_IMPORT instead of running code from that origin.
 */
export function checkImportTargets(
  imports: Readonly<Record<string, string>>,
  allowedOrigins: ReadonlySet<string>,
): { allowed: Record<string, string>; problems: PlugboardError[] } {
  const allowed: Record<string, string> = {};
  const problems: PlugboardError[] = [];
  for (const [specifier, target] of Object.entries(imports)) {
    const origin = originOf(target);
    if (allowedOrigins.has(origin)) {
      allowed[specifier] = target;
      continue;
    }
    problems.push(
      new PlugboardError({
        code: 'ORIGIN_NOT_ALLOWED',
        stage: 'manifest',
        url: target,
        field: `imports[${JSON.stringify(specifier)}]`,
        problem: `import map entry "${specifier}" → ${target} is not mapped: its origin ${origin} is not in allowedOrigins (${[...allowedOrigins].join(', ')})`,
        hint: `Add "${origin}" to createHost({ allowedOrigins }) if you trust it, or serve the module from an allowed origin.`,
      }),
    );
  }
  return { allowed, problems };
}
