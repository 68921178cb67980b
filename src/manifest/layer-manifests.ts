import { warningOf, type PlugboardError } from '../errors/index.ts';
import type { EntryPoint, ParsedManifest } from './parse-manifest.ts';

/** Several manifests seen as one: for each group and name, the entry of the first manifest that has it. */
export interface LayeredManifests {
  /** group → name → entry point. */
  entryPoints: Map<string, Map<string, EntryPoint>>;
  /** The import map the plugins rely on; the first manifest to name a specifier wins. */
  imports: Record<string, string>;
  /** One warning per shadowed entry or import, naming both sources. */
  warnings: PlugboardError[];
}

/**
 * Layers manifests by priority, first wins — as pip resolves one distribution per name from an
 * ordered list of indexes. A shadowed entry is kept out and warned about; nothing is merged field by field.
 */
export function layerManifests(manifests: readonly ParsedManifest[]): LayeredManifests {
  const entryPoints = new Map<string, Map<string, EntryPoint>>();
  const imports: Record<string, string> = {};
  const importSources: Record<string, string> = {};
  const warnings: PlugboardError[] = [];

  for (const manifest of manifests) {
    for (const [specifier, url] of Object.entries(manifest.imports)) {
      const existing = imports[specifier];
      if (existing === undefined) {
        imports[specifier] = url;
        importSources[specifier] = manifest.url;
      } else if (existing !== url) {
        warnings.push(
          warningOf({
            code: 'SHADOWED_IMPORT',
            problem: `import "${specifier}" → ${url} is shadowed by ${existing} from ${importSources[specifier]}`,
            url: manifest.url,
            hint: 'Both manifests map the same bare specifier; the earlier manifest wins. Align the versions or drop one mapping.',
          }),
        );
      }
    }
    for (const entry of manifest.entryPoints) {
      let group = entryPoints.get(entry.group);
      if (!group) entryPoints.set(entry.group, (group = new Map()));
      const first = group.get(entry.name);
      if (!first) {
        group.set(entry.name, entry);
      } else {
        warnings.push(
          warningOf({
            code: 'SHADOWED_ENTRY_POINT',
            group: entry.group,
            plugin: entry.name,
            problem: `entry point from ${entry.source} is shadowed by the one from ${first.source}`,
            url: entry.url,
            hint: 'The first manifest in the list wins; rename the plugin or reorder the manifests to pick the other one.',
          }),
        );
      }
    }
  }
  return { entryPoints, imports, warnings };
}
