import * as z from 'zod/mini';
import { ENTRY_NAME, GROUP_NAME, IntegritySchema } from '../manifest/index.ts';

const NonEmpty = z.string().check(z.minLength(1, { error: 'must not be empty' }));

/** One published version of a catalog plugin: where its module is, its digest, and the hosts it works with. */
export const CatalogVersionSchema = z.strictObject({
  version: NonEmpty,
  /** The module URL, absolute or relative to the catalog. */
  url: NonEmpty,
  export: z.optional(NonEmpty),
  /** Required: a catalog pins every version it lists. */
  integrity: IntegritySchema,
  /** The Plugboard versions it works with (`>=0.1 <0.3`). */
  host: z.optional(NonEmpty),
  api: z.optional(z.string()),
});
export type CatalogVersion = z.infer<typeof CatalogVersionSchema>;

/** One plugin of a catalog, with every version it publishes. */
export const CatalogPluginSchema = z.strictObject({
  group: z.string().check(z.regex(GROUP_NAME, { error: 'a group name is letters, digits, "_", "-" and "."' })),
  name: z.string().check(z.regex(ENTRY_NAME, { error: 'an entry-point name is letters, digits, "_", "-", "+" and "."' })),
  description: z.optional(z.string()),
  versions: z.array(CatalogVersionSchema).check(z.minLength(1, { error: 'a catalog plugin lists at least one version' })),
});
export type CatalogPlugin = z.infer<typeof CatalogPluginSchema>;

/** A catalog: a JSON index of installable plugins, like a package index. The schema is the single source of truth. */
export const CatalogSchema = z.strictObject({
  $schema: z.optional(z.string()),
  catalogVersion: z.literal(1, { error: 'catalogVersion must be 1' }),
  name: z.optional(NonEmpty),
  plugins: z.array(CatalogPluginSchema),
});
export type Catalog = z.infer<typeof CatalogSchema>;
