import type { EntryPoint } from '../manifest/index.ts';

/**
 * A plugin that came through the loader's validate stage, with the entry point it was loaded from. Only the
 * loader makes these, so a registry that receives one knows it has been checked and does not check it again.
 */
export interface LoadedPlugin {
  readonly entry: EntryPoint;
  readonly plugin: unknown;
}

const made = new WeakSet<LoadedPlugin>();

/** Records that `plugin` passed the validate stage for `entry`; the record is frozen. */
export function loadedPlugin(entry: EntryPoint, plugin: unknown): LoadedPlugin {
  const record = Object.freeze({ entry, plugin });
  made.add(record);
  return record;
}

/** Whether `value` is a record the loader made (an object of the same shape made elsewhere is not). */
export function isLoadedPlugin(value: unknown): value is LoadedPlugin {
  return typeof value === 'object' && value !== null && made.has(value as LoadedPlugin);
}
