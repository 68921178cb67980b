import { PlugboardError } from '../../errors/index.ts';

/** The group every built-in trainer belongs to. */
export const TRAINERS_GROUP = 'codex_ml.trainers';

/** Builds the error a built-in trainer throws, stamped with its group and name. */
export function trainerError(fields: { code: string; plugin: string; problem: string; hint: string; field?: string; cause?: unknown }): PlugboardError {
  return new PlugboardError({ group: TRAINERS_GROUP, ...fields });
}
