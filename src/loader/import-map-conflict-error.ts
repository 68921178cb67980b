import { PlugboardError } from '../errors/index.ts';
import type { ImportMapConflict } from './import-map.ts';

/** The IMPORT_MAP_CONFLICT problem (stage `manifest`) for an import-map entry the page could not take as asked. */
export function importMapConflictError(conflict: ImportMapConflict): PlugboardError {
  return new PlugboardError({
    code: 'IMPORT_MAP_CONFLICT',
    stage: 'manifest',
    url: conflict.wanted,
    field: `imports["${conflict.specifier}"]`,
    problem:
      conflict.reason === 'unsupported'
        ? `import map entry "${conflict.specifier}" cannot be installed: this browser has no import maps`
        : `import map entry "${conflict.specifier}" → ${conflict.wanted} is not in force: it is already ${
            conflict.reason === 'mapped-differently' ? 'mapped' : 'resolved'
          } to ${conflict.actual ?? 'nothing'}`,
    hint: "Plugins importing this specifier would get another module. Remove the page's own mapping, or create the host before any module imports the specifier.",
  });
}
