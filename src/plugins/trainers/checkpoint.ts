// What a checkpoint holds, and reading one back from an object, JSON text or a Blob (an artifact).
import type { ModelProvenance } from 'plugboard/sdk';
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
  /** The encoder whose embeddings the head was trained on, with its files' SHA-384s (absent in checkpoints saved before encoders were recorded). */
  encoder?: ModelProvenance | null;
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

/**
 * Refuses to resume from `checkpoint` with an encoder whose files differ from the ones it was trained on: a file
 * whose SHA-384 changed, or one read by only one of the two (another dtype), is TRAINER_ENCODER_CHANGED naming the
 * file and both digests. Nothing is checked when either side has no recorded encoder (a checkpoint saved before
 * encoders were recorded, or an encoder without provenance).
 */
export function checkCheckpointEncoder(plugin: string, field: string, checkpoint: Checkpoint, current: ModelProvenance | null): void {
  const recorded = checkpoint.encoder;
  if (!recorded || !current) return;
  const now = new Map(current.files.map((file) => [file.file, file]));
  const before = new Map(recorded.files.map((file) => [file.file, file]));
  const changed =
    recorded.files.find((file) => now.get(file.file)?.sha384 !== file.sha384) ??
    current.files.find((file) => !before.has(file.file));
  if (!changed) return;
  const then = before.get(changed.file);
  const loaded = now.get(changed.file);
  throw trainerError({
    code: 'TRAINER_ENCODER_CHANGED',
    plugin,
    field,
    ...(loaded ? { url: loaded.url } : {}),
    problem: `the checkpoint's head was trained on embeddings from ${recorded.model_name} whose file "${changed.file}" had ${then?.sha384 ?? 'no digest (it was not read)'}; the encoder loaded now (${current.model_name}) ${loaded ? `read "${changed.file}" with ${loaded.sha384}` : `did not read "${changed.file}"`}`,
    hint: `Load the encoder the checkpoint was trained with (model_name ${recorded.model_name}${recorded.revision ? `, revision ${recorded.revision}` : ''}${recorded.dtype ? `, dtype ${recorded.dtype}` : ''}; its files were read from ${recorded.folder}), or train a new head without ${field}: a head is wrong on another encoder's embeddings.`,
  });
}
