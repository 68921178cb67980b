import { PlugboardError } from '../../errors/index.ts';

/** The group every built-in model factory belongs to. */
export const MODELS_GROUP = 'codex_ml.models';

/** Builds the error a built-in model factory throws, stamped with its group and name. */
export function modelError(fields: { code: string; plugin: string; problem: string; hint: string; field?: string; url?: string; cause?: unknown }): PlugboardError {
  return new PlugboardError({ group: MODELS_GROUP, ...fields });
}
