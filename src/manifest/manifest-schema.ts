import { z } from 'zod';

/** A group name: dotted words, as Python entry-point groups are (`codex_ml.metrics`, `my-plugins`). */
const GroupNameSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, {
  message: 'a group name is letters, digits, "_", "-" and "." (for example "codex_ml.metrics")',
});

/** An entry-point name: what `host.load(group, name)` is called with. Case-sensitive. */
const EntryNameSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
  message: 'an entry-point name is letters, digits, "_", "-", "+" and "." (for example "bleu" or "idb")',
});

/** A subresource-integrity value: one or more `sha256-|sha384-|sha512-` base64 digests. */
export const IntegritySchema = z
  .string()
  .regex(/^\s*(sha(256|384|512)-[A-Za-z0-9+/]+={0,2}(\?\S*)?\s*)+$/, {
    message: 'an integrity value is "sha256-…", "sha384-…" or "sha512-…" with a base64 digest',
  });

/** The long form of an entry point. */
export const EntryPointSpecSchema = z.strictObject({
  url: z.string().min(1, { message: 'the url is empty' }),
  export: z.string().min(1).optional(),
  api: z.string().optional(),
  version: z.string().optional(),
  integrity: IntegritySchema.optional(),
  description: z.string().optional(),
});
export type EntryPointSpec = z.infer<typeof EntryPointSpecSchema>;

/** `"./path/to/module.js#exportName"` — the short form; the export defaults to `default`. */
export const EntryPointShorthandSchema = z.string().min(1, { message: 'the entry is an empty string' });

/** A plugins manifest: Plugboard's `entry_points`. The schema is the single source of truth. */
export const ManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  manifestVersion: z.literal(1, { message: 'manifestVersion must be 1' }),
  name: z.string().min(1).optional(),
  imports: z.record(z.string().min(1), z.string().min(1)).optional(),
  groups: z.record(
    GroupNameSchema,
    z.record(EntryNameSchema, z.union([EntryPointShorthandSchema, EntryPointSpecSchema])),
  ),
});
export type Manifest = z.infer<typeof ManifestSchema>;
