import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The list and check commands use Plugboard as any embedder does: through the package's main entry, no inner paths.
// The other doors are npm package discovery, which reads node_modules, and the plugin dev server, which serves a
// folder: both Node only, so they stay out of the (browser) main entry.
const NODE_DOORS = ['../index.ts', '../packages/index.ts', '../dev-server/index.ts'];
const COMMANDS = ['list-command.ts', 'check-command.ts', 'freeze-command.ts', 'dev-command.ts', 'cache-options.ts', 'cli-context.ts'];

describe('the command line as an embedder', () => {
  for (const file of COMMANDS) {
    it(`imports ${file}'s Plugboard parts from the main entry (and package discovery's door) only`, () => {
      const { importedFiles } = ts.preProcessFile(readFileSync(new URL(file, import.meta.url), 'utf8'), true, true);
      const inner = importedFiles.map(({ fileName }) => fileName).filter((specifier) => specifier.startsWith('../') && !NODE_DOORS.includes(specifier));
      expect(inner).toEqual([]);
    });
  }
});
