// What a checkpoint holds, and reading one back from an object, JSON text or a Blob (an artifact).
import type { HeadShape } from './classifier-head.ts';
import { trainerError } from './trainer-error.ts';

/** The best evaluation so far: its metric value, where it happened, and the parameters then. */
export interface BestEvaluation {
  value: number;
  step: number;
  parameters: number[];
}

/** One logged point of the training curve. */
export interface CurvePoint {
  step: number;
  epoch: number;
  values: Record<string, number>;
}

/**
 * Everything the loop needs to continue exactly where it stopped: parameters, optimiser moments, the
 * epoch's batch order and position, the generator state, the best evaluation and the curve so far.
 */
export interface Checkpoint {
  format: 'plugboard.classifier-head-checkpoint';
  version: 1;
  trainer: string;
  shape: HeadShape;
  labels: (string | number | boolean)[];
  parameters: number[];
  optimizer: { step: number; firstMoment: number[]; secondMoment: number[] };
  globalStep: number;
  epoch: number;
  /** The next batch of `epoch` to run (0 at an epoch boundary). */
  nextBatch: number;
  /** The training rows' order in `epoch` (empty at an epoch boundary). */
  order: number[];
  randomState: number;
  best: BestEvaluation | null;
  /** Evaluations since the best one (early stopping's patience counter). */
  sinceBest: number;
  curve: CurvePoint[];
  /** Training losses since the last logged one (their sum and count), so a resumed run logs the same means. */
  pendingLoss: { sum: number; count: number };
  runId: string | null;
}

const FORMAT = 'plugboard.classifier-head-checkpoint';

/** Reads a checkpoint given as the object, its JSON text or a Blob of it; throws TRAINER_BAD_CHECKPOINT naming `field`. */
export async function readCheckpoint(plugin: string, field: string, value: unknown): Promise<Checkpoint> {
  let parsed: unknown = value;
  try {
    if (typeof Blob !== 'undefined' && value instanceof Blob) parsed = JSON.parse(await value.text());
    else if (typeof value === 'string') parsed = JSON.parse(value);
  } catch (cause) {
    throw trainerError({ code: 'TRAINER_BAD_CHECKPOINT', plugin, field, problem: `${field} is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, hint: 'Pass a checkpoint artifact this trainer saved (checkpoint-<step>/checkpoint.json), as a Blob, its text or the parsed object.', cause });
  }
  const checkpoint = parsed as Partial<Checkpoint> | null;
  if (checkpoint === null || typeof checkpoint !== 'object' || checkpoint.format !== FORMAT || checkpoint.version !== 1 || !Array.isArray(checkpoint.parameters)) {
    throw trainerError({ code: 'TRAINER_BAD_CHECKPOINT', plugin, field, problem: `${field} is not a classifier-head checkpoint (format "${FORMAT}", version 1)`, hint: 'Pass a checkpoint artifact this trainer saved (checkpoint-<step>/checkpoint.json).' });
  }
  return checkpoint as Checkpoint;
}
