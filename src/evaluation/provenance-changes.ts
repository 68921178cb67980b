import type { PluginProvenance } from './evaluation-types.ts';
import type { ModuleDigest } from './module-provenance.ts';

/** One module whose bytes are not those a past run recorded. */
export interface ProvenanceChange {
  /** The plugin the module belongs to, `group/name`. */
  plugin: string;
  /** The module's URL. */
  url: string;
  /** The plugin's entry module, a module it imports, or one it imports on demand. */
  role: 'entry' | 'imported' | 'on-demand';
  /** The plugin whose entry module the changed module is (a tokenizer a metric imports), when it is one. */
  modulePlugin?: string;
  /** The digest the run recorded, or what was recorded instead (`not imported`, `unreadable: …`). */
  then: string;
  /** The digest now, or why there is none (`not imported`, `no longer declared`, `unreadable: …`). */
  now: string;
}

const NOT_IMPORTED = 'not imported';

/**
 * How a plugin's code now differs from what a run recorded: its entry module's URL or digest, and each
 * module it imports (or may import on demand) that changed, appeared or is gone. `current` undefined means
 * no manifest declares the plugin any more. A record without digests (a plugin registered by object) has
 * nothing to compare. Empty when every recorded module has the same bytes.
 */
export function provenanceChanges(recorded: PluginProvenance, current: PluginProvenance | undefined): ProvenanceChange[] {
  const plugin = `${recorded.group}/${recorded.name}`;
  if (recorded.sha384 === undefined) return [];
  if (!current) return [{ plugin, url: recorded.url, role: 'entry', then: recorded.sha384, now: 'no longer declared' }];
  const changes: ProvenanceChange[] = [];
  if (current.url !== recorded.url) {
    changes.push({ plugin, url: recorded.url, role: 'entry', then: recorded.sha384, now: `${NOT_IMPORTED} (the entry is now ${current.url}, ${current.sha384 ?? 'not read'})` });
  } else if (current.sha384 !== recorded.sha384) {
    changes.push({ plugin, url: recorded.url, role: 'entry', then: recorded.sha384, now: current.sha384 ?? 'not read' });
  }
  // A run recorded before imported modules were recorded has no list to compare.
  if (!recorded.modules) return changes;
  const now = new Map((current.modules ?? []).map((module) => [module.url, module]));
  const then = new Map(recorded.modules.map((module) => [module.url, module]));
  for (const module of recorded.modules) {
    const present = now.get(module.url);
    const before = stateOf(module);
    const after = present ? stateOf(present) : NOT_IMPORTED;
    if (before !== after) changes.push({ plugin, url: module.url, role: module.onDemand ? 'on-demand' : 'imported', ...labelOf(module), then: before, now: after });
  }
  for (const module of current.modules ?? []) {
    if (!then.has(module.url)) changes.push({ plugin, url: module.url, role: module.onDemand ? 'on-demand' : 'imported', ...labelOf(module), then: NOT_IMPORTED, now: stateOf(module) });
  }
  return changes;
}

function labelOf(module: ModuleDigest): { modulePlugin?: string } {
  return module.plugin ? { modulePlugin: module.plugin } : {};
}

function stateOf(module: ModuleDigest): string {
  return module.sha384 ?? `unreadable: ${module.problem ?? 'no digest'}`;
}

/**
 * One sentence per changed module naming the plugin, the module's URL and both digests, then what to do:
 * serve the recorded bytes again (or install the plugins from a bundle pinned to them) to reproduce the
 * run, or run a new evaluation with the code as it is now.
 */
export function describeProvenanceChanges(changes: readonly ProvenanceChange[]): string {
  const lines = changes.map((change) => {
    const what =
      change.role === 'entry'
        ? `the entry module ${change.url}`
        : `module ${change.url}${change.modulePlugin ? ` (the ${change.modulePlugin} plugin)` : ''}, which it ${change.role === 'on-demand' ? 'imports on demand' : 'imports'},`;
    return `${change.plugin}: ${what} changed (${change.then} then, ${change.now} now)`;
  });
  return `${lines.join('; ')}. The code that produced the run is no longer what is served: to reproduce it, serve those bytes at those URLs again (or install the plugins from a bundle pinned to them); to score the file with the code as it is now, run a new evaluation instead.`;
}
