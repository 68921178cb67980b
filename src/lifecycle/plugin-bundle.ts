import * as z from 'zod/mini';
import { PlugboardError } from '../errors/index.ts';
import { INTEGRITY } from '../manifest/index.ts';
import { toBase64, verifyIntegrity } from '../loader/index.ts';
import { InstalledPluginSchema, type InstalledPlugin } from './installed-plugin.ts';

/** One module's bytes in a bundle, base64-encoded, with the pin they must match. */
export const BundledModuleSchema = z.strictObject({
  integrity: z.string().check(z.regex(INTEGRITY, { error: 'an integrity value is "sha384-…" with a base64 digest' })),
  base64: z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'module bytes are base64' })),
});
export type BundledModule = z.infer<typeof BundledModuleSchema>;

/**
 * The file `host.plugins.bundle()` writes and `installBundle()` reads: the installed plugins as a lock (versions
 * and pins) and, for each plugin's module and every module it imports, the bytes that match its pin, so it
 * installs with no network.
 */
export const PluginBundleSchema = z.strictObject({
  plugboardBundle: z.literal(1, { error: 'plugboardBundle must be 1 (a Plugboard plugin bundle)' }),
  exportedAt: z.optional(z.string()),
  plugins: z.array(InstalledPluginSchema),
  /** Module URL → its bytes and their integrity. */
  modules: z.record(z.string().check(z.minLength(1)), BundledModuleSchema),
});
export type PluginBundle = z.infer<typeof PluginBundleSchema>;

/** Parses a bundle file's JSON; throws INVALID_BUNDLE naming the JSON path of the first problem. */
export function parseBundle(file: unknown): PluginBundle {
  const parsed = PluginBundleSchema.safeParse(file);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new PlugboardError({
    code: 'INVALID_BUNDLE',
    stage: 'manifest',
    ...(issue ? { field: issue.path.map(String).join('.') } : {}),
    problem: `the file is not a Plugboard plugin bundle: ${issue?.message ?? 'unknown problem'}`,
    hint: 'Choose a file made by "Export bundle" in the plugin manager (host.plugins.bundle()).',
  });
}

/** Encodes a module's bytes for a bundle. */
export function bundledModule(bytes: Uint8Array, integrity: string): BundledModule {
  return { integrity, base64: toBase64(bytes) };
}

/**
 * The bytes a bundle holds for each plugin's module and every module it imports, checked against the plugin's
 * pins (not only the bundle's own integrity field); throws MISSING_BUNDLED_MODULE or INTEGRITY_MISMATCH naming the
 * plugin and the module's URL before anything is kept.
 */
export async function checkedBundleBytes(bundle: PluginBundle): Promise<Map<string, { plugin: InstalledPlugin; integrity: string; bytes: Uint8Array }>> {
  const checked = new Map<string, { plugin: InstalledPlugin; integrity: string; bytes: Uint8Array }>();
  for (const plugin of bundle.plugins) {
    for (const [url, integrity] of [[plugin.url, plugin.integrity] as const, ...Object.entries(plugin.modules ?? {})]) {
      const held = bundle.modules[url];
      const fields = { group: plugin.group, plugin: plugin.name, url };
      const what = url === plugin.url ? `${plugin.group}/${plugin.name}'s module` : `${url}, which ${plugin.group}/${plugin.name} imports`;
      if (!held) {
        throw new PlugboardError({
          ...fields,
          code: 'MISSING_BUNDLED_MODULE',
          stage: 'fetch',
          field: 'modules',
          problem: `the bundle holds no bytes for ${what}`,
          hint: 'Export the bundle again from a Plugboard where the plugin is installed and loads.',
        });
      }
      const bytes = fromBase64(held.base64);
      try {
        await verifyIntegrity(bytes, integrity, url);
      } catch (thrown) {
        if (!(thrown instanceof PlugboardError)) throw thrown;
        throw new PlugboardError({
          ...fields,
          code: thrown.code,
          stage: 'integrity',
          field: `modules.${url}`,
          problem: `the bundled bytes of ${what} do not match its pin: ${thrown.problem}`,
          hint: 'The bundle was changed after it was exported: refuse it, and export a fresh bundle from a trusted Plugboard.',
          cause: thrown,
        });
      }
      checked.set(url, { plugin, integrity, bytes });
    }
  }
  return checked;
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
