import * as z from 'zod/mini';
import { RUN_TAG_VALUE_LIMIT } from '../store-kit/index.ts';

/** `sha384-<base64>` — the form plugin modules' digests take (an SRI value), so every digest of a run reads alike. */
const SHA384_PATTERN = /^sha384-[A-Za-z0-9+/]{64}$/;

/**
 * One file of a model as a run records it: its path in the model folder, the URL it was read from, and the
 * SHA-384 of its bytes (`sha384-<base64>`); `sha256` (hex) and `cached` (the bytes came from the model cache)
 * are kept when the loader knows them. Other keys are refused by name rather than dropped.
 */
export const ModelFileRecordSchema = z.strictObject({
  file: z.string().check(z.minLength(1)),
  url: z.string().check(z.minLength(1)),
  sha384: z.string().check(z.regex(SHA384_PATTERN, { error: 'expected "sha384-" and the base64 of a SHA-384 digest' })),
  size: z.int().check(z.nonnegative({ error: 'expected a byte count, 0 or more' })),
  sha256: z.optional(z.string()),
  cached: z.optional(z.boolean()),
});
export type ModelFileRecord = z.infer<typeof ModelFileRecordSchema>;

/**
 * A model a metric ran, as the evaluation's run records it: the model factory (`plugin`), the name it was
 * asked for (a Hub id, URL or folder), the URL of the folder its files came from, the revision, dtype and
 * device when they apply, and every file read with its digest. Other keys are refused by name rather than dropped.
 */
export const ModelProvenanceSchema = z.strictObject({
  plugin: z.string().check(z.minLength(1)),
  model_name: z.string().check(z.minLength(1)),
  folder: z.string().check(z.minLength(1)),
  revision: z.optional(z.string()),
  dtype: z.optional(z.string()),
  device: z.optional(z.string()),
  files: z.array(ModelFileRecordSchema),
});
export type ModelProvenance = z.infer<typeof ModelProvenanceSchema>;

/** The tag that holds the models `consumer` ran: a metric's name in an evaluation run, a trainer's in a training run (see `modelTagValue`). */
export function modelProvenanceTag(consumer: string): string {
  return `plugboard.provenance.model.${consumer}`;
}

/**
 * The models a run used as one tag value: a JSON array with, per model, its factory, name, folder, revision,
 * dtype, device and `files` mapping each file's path in the folder to its SHA-384. When that would pass MLflow's
 * 8000-character run tag limit (a model of many shards) `files` becomes a count pointing at `fullRecordsAt`
 * (the artifact that keeps every file whatever the size), so the tag stays whole JSON instead of being cut.
 */
export function modelTagValue(models: readonly ModelProvenance[], fullRecordsAt = 'results.json (models)'): string {
  const described = models.map(({ plugin, model_name, folder, revision, dtype, device, files }) => ({
    plugin, model_name, folder, revision: revision ?? null, dtype: dtype ?? null, device: device ?? null,
    files: Object.fromEntries(files.map((file) => [file.file, file.sha384])) as Record<string, string> | string,
  }));
  const whole = JSON.stringify(described);
  if (whole.length <= RUN_TAG_VALUE_LIMIT) return whole;
  for (const [index, model] of described.entries()) model.files = `${models[index]!.files.length} files; their URLs and digests are in ${fullRecordsAt}`;
  return JSON.stringify(described);
}
