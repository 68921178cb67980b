import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { PlugboardError } from '../errors/index.ts';
import { lexModule } from '../loader/index.ts';
import type { PluginFolder } from './read-plugin-folder.ts';

/**
 * Reads each entry point's module in the folder as the page's preflight does, running none of it: a module that is
 * not valid module syntax (MODULE_SYNTAX, at its line and column) or lacks the export its entry names (MISSING_EXPORT,
 * listing what it exports) is one problem naming the module and the manifest entry. Resolves with the problems.
 */
export async function checkModules(folder: PluginFolder): Promise<PlugboardError[]> {
  const problems: PlugboardError[] = [];
  const shapes = new Map<string, ReturnType<typeof lexModule>>();
  for (const module of folder.modules) {
    const url = pathToFileURL(module.file).href;
    const where = { group: module.group, plugin: module.name, url };
    let shape: Awaited<ReturnType<typeof lexModule>>;
    try {
      let pending = shapes.get(module.file);
      if (!pending) {
        pending = readFile(module.file, 'utf8').then((source) => lexModule(source, url));
        shapes.set(module.file, pending);
      }
      shape = await pending;
    } catch (thrown) {
      if (!(thrown instanceof PlugboardError)) {
        problems.push(new PlugboardError({ ...where, code: 'DEV_MODULE_UNREADABLE', problem: `${module.file} could not be read: ${thrown instanceof Error ? thrown.message : String(thrown)}`, cause: thrown }));
        continue;
      }
      const { code, problem, hint, field, stage } = thrown;
      problems.push(new PlugboardError({ ...where, code, problem, ...(hint ? { hint } : {}), ...(field ? { field } : {}), ...(stage ? { stage } : {}) }));
      continue;
    }
    if (!shape.exports.has(module.export) && !shape.hasStarExport) {
      const exported = [...shape.exports].sort();
      problems.push(
        new PlugboardError({
          ...where,
          code: 'MISSING_EXPORT',
          stage: 'lex',
          problem: `the module has no export named "${module.export}", which ${folder.file} names at ${module.field}`,
          hint: exported.length ? `It exports: ${exported.join(', ')}. Name one of them after # in the manifest entry.` : 'The module exports nothing; export the plugin and name it after # in the manifest entry.',
        }),
      );
    }
  }
  return problems;
}
