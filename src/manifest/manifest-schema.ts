import * as z from 'zod/mini';

// Every pattern here runs on outside input, so each is written to match in linear time: no two quantifiers
// next to each other can take the same character, and nothing repeats a group that can end in more than one way.
// A name that JavaScript objects read as their prototype is not a name (see reserved-keys.ts).
export const GROUP_NAME = /^(?!__proto__$)[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
export const ENTRY_NAME = /^(?!__proto__$)[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
export const IMPORT_SPECIFIER = /^(?!__proto__$)./s;
const DIGEST = 'sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}(?:\\?\\S*)?';
/**
 * One or more digests, separated by whitespace. Each digest after the first starts after at least one
 * whitespace character, which `\S*` (the options after `?`) cannot take: the match can only go one way.
 */
export const INTEGRITY = new RegExp(`^\\s*${DIGEST}(?:\\s+${DIGEST})*\\s*$`);

/** A group name: dotted words, as Python entry-point groups are (`codex_ml.metrics`, `my-plugins`). */
const GroupNameSchema = z.string().check(
  z.regex(GROUP_NAME, { error: 'a group name is letters, digits, "_", "-" and "." (for example "codex_ml.metrics"), other than "__proto__"' }),
);

/** An entry-point name: what `host.load(group, name)` is called with. Case-sensitive. */
const EntryNameSchema = z.string().check(
  z.regex(ENTRY_NAME, { error: 'an entry-point name is letters, digits, "_", "-", "+" and "." (for example "bleu" or "idb"), other than "__proto__"' }),
);

/** A subresource-integrity value: one or more `sha256-|sha384-|sha512-` base64 digests. */
export const IntegritySchema = z.string().check(
  z.regex(INTEGRITY, {
    error: 'an integrity value is "sha256-…", "sha384-…" or "sha512-…" with a base64 digest',
  }),
);

const NonEmpty = z.string().check(z.minLength(1, { error: 'must not be empty' }));

/** The long form of an entry point. */
export const EntryPointSpecSchema = z.strictObject({
  url: NonEmpty,
  export: z.optional(NonEmpty),
  api: z.optional(z.string()),
  version: z.optional(z.string()),
  integrity: z.optional(IntegritySchema),
  description: z.optional(z.string()),
  /** The Plugboard versions the plugin works with, as package.json `engines` writes them (`>=0.1 <0.3`). */
  host: z.optional(NonEmpty),
});
export type EntryPointSpec = z.infer<typeof EntryPointSpecSchema>;

/** `"./path/to/module.js#exportName"` — the short form; the export defaults to `default`. */
export const EntryPointShorthandSchema = NonEmpty;

/** A plugins manifest: Plugboard's `entry_points`. The schema is the single source of truth. */
export const ManifestSchema = z.strictObject({
  $schema: z.optional(z.string()),
  manifestVersion: z.literal(1, { error: 'manifestVersion must be 1' }),
  name: z.optional(NonEmpty),
  imports: z.optional(
    z.record(z.string().check(z.regex(IMPORT_SPECIFIER, { error: 'an import specifier is a non-empty string other than "__proto__"' })), NonEmpty),
  ),
  groups: z.record(GroupNameSchema, z.record(EntryNameSchema, z.union([EntryPointShorthandSchema, EntryPointSpecSchema]))),
});
export type Manifest = z.infer<typeof ManifestSchema>;
