import type { ModelProvenance } from '../sdk/index.ts';
import type { PluginProvenance } from './evaluation-types.ts';
import type { ModuleDigest } from './module-provenance.ts';

/** One module, or one file of a model a metric ran, whose bytes are not those a past run recorded. */
export interface ProvenanceChange {
  /** The plugin the module belongs to, or the metric that ran the model, `group/name`. */
  plugin: string;
  /** The module's (or the model file's) URL. */
  url: string;
  /** The plugin's entry module, a module it imports, one it imports on demand, or a file of a model it ran. */
  role: 'entry' | 'imported' | 'on-demand' | 'model-file';
  /** The plugin whose entry module the changed module is (a tokenizer a metric imports), when it is one. */
  modulePlugin?: string;
  /** For a model file: the model factory, the model's folder and the file's path in it. */
  model?: { plugin: string; folder: string; file: string };
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

/** A recorded model file as it is now (see checkModelFiles): the SHA-384 of the bytes a load would read, or why none could be read. */
export interface ModelFileState {
  file: string;
  sha384?: string;
  problem?: string;
}

/**
 * How the files of a model a metric ran now differ from what the run recorded: one change per recorded file
 * whose SHA-384 is not the recorded one, or that can no longer be read (`unreadable: …`), naming the metric
 * (`codex_ml.metrics/<metric>`), the file's URL and the model. A file `current` does not list is `not checked`.
 * Empty when every file has the recorded bytes.
 */
export function modelFileChanges(metric: string, recorded: ModelProvenance, current: readonly ModelFileState[]): ProvenanceChange[] {
  const now = new Map(current.map((state) => [state.file, state]));
  const changes: ProvenanceChange[] = [];
  for (const file of recorded.files) {
    const state = now.get(file.file);
    const after = !state ? 'not checked' : (state.sha384 ?? `unreadable: ${state.problem ?? 'no digest'}`);
    if (after === file.sha384) continue;
    changes.push({ plugin: `codex_ml.metrics/${metric}`, url: file.url, role: 'model-file', model: { plugin: recorded.plugin, folder: recorded.folder, file: file.file }, then: file.sha384, now: after });
  }
  return changes;
}

/**
 * One sentence per changed module or model file naming the plugin (the metric, for a model file), the URL and
 * both digests, then what to do: serve the recorded bytes again (or install the plugins from a bundle pinned to
 * them) to reproduce the run, or run a new evaluation with the code and models as they are now.
 */
export function describeProvenanceChanges(changes: readonly ProvenanceChange[]): string {
  const lines = changes.map((change) => `${change.plugin}: ${describeWhat(change)} changed (${change.then} then, ${change.now} now)`);
  const code = changes.some((change) => change.role !== 'model-file');
  const models = changes.some((change) => change.role === 'model-file');
  if (!models) {
    return `${lines.join('; ')}. The code that produced the run is no longer what is served: to reproduce it, serve those bytes at those URLs again (or install the plugins from a bundle pinned to them); to score the file with the code as it is now, run a new evaluation instead.`;
  }
  const what = code ? 'The code and model files' : 'The model files';
  return `${lines.join('; ')}. ${what} that produced the run are no longer what is served (a model file is read from the model cache here, else from its URL): to reproduce it, serve those bytes at those URLs again${code ? ' (or install the plugins from a bundle pinned to them)' : ''}; to score the file with ${code ? 'the code and models' : 'the models'} as they are now, run a new evaluation instead.`;
}

function describeWhat(change: ProvenanceChange): string {
  if (change.role === 'entry') return `the entry module ${change.url}`;
  if (change.role === 'model-file') {
    const model = change.model;
    return `model file ${change.url}${model ? ` (${model.file} of the ${model.plugin} model at ${model.folder})` : ''}, which it ran,`;
  }
  return `module ${change.url}${change.modulePlugin ? ` (the ${change.modulePlugin} plugin)` : ''}, which it ${change.role === 'on-demand' ? 'imports on demand' : 'imports'},`;
}
