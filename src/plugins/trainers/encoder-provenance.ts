// The encoder's provenance as a training run records it: the model factory's ModelProvenance, checked.
import * as z from 'zod/mini';
import type { ModelProvenance } from 'plugboard/sdk';
import { ModelProvenanceSchema } from '../../adapters/index.ts';
import { describeIssues, formatPath } from '../../errors/index.ts';
import { trainerError } from './trainer-error.ts';

/**
 * Reads the encoder's `provenance` as a ModelProvenance: null when the encoder has none (it trains unrecorded),
 * and TRAINER_BAD_MODEL naming every bad field when it has one of another shape, rather than recording half of it.
 */
export function readEncoderProvenance(plugin: string, provenance: unknown): ModelProvenance | null {
  if (provenance === undefined || provenance === null) return null;
  const parsed = z.safeParse(ModelProvenanceSchema, provenance);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues, provenance, ['model', 'provenance']);
  throw trainerError({
    code: 'TRAINER_BAD_MODEL',
    plugin,
    field: formatPath(problems[0]!.path),
    problem: `the encoder's provenance is not a ModelProvenance: ${problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`).join('; ')}`,
    hint: 'A model factory gives its model a provenance of the SDK’s ModelProvenance shape (plugin, model_name, folder and every file read with its sha384), or none.',
  });
}
