import type { RunContextProvider } from '../adapters/index.ts';
import { PlugboardError } from '../errors/index.ts';
import type { RunTag } from './types.ts';

/** A run context provider with the name it is registered under (for warnings). */
export type NamedContextProvider = readonly [name: string, provider: RunContextProvider];

/**
 * Merges the tags of every provider whose `inContext()` is true, in the order given (later providers win on
 * the same key), then `explicit` tags last, which win over all. A provider that throws, or returns something
 * other than string tags, is skipped and `onWarning` receives a `CONTEXT_PROVIDER_FAILED` warning naming it;
 * the other providers still count. Non-string tag values are refused rather than coerced.
 */
export async function resolveContextTags(
  providers: readonly NamedContextProvider[],
  explicit: readonly RunTag[] = [],
  onWarning: (warning: PlugboardError) => void = (warning) => console.warn(warning.message),
): Promise<RunTag[]> {
  const merged = new Map<string, string>();
  for (const [name, provider] of providers) {
    let tags: Record<string, unknown>;
    try {
      if (!(await provider.inContext())) continue;
      tags = (await provider.tags()) as Record<string, unknown>;
      if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) throw new TypeError(`tags() returned ${Array.isArray(tags) ? 'an array' : typeof tags}, expected an object of strings`);
      const bad = Object.entries(tags).find(([, value]) => typeof value !== 'string');
      if (bad) throw new TypeError(`tag "${bad[0]}" is ${typeof bad[1]}, expected a string`);
    } catch (cause) {
      onWarning(
        new PlugboardError({
          code: 'CONTEXT_PROVIDER_FAILED',
          group: 'mlflow.run_context_provider',
          plugin: name,
          problem: `the run context provider failed and is skipped: ${cause instanceof Error ? cause.message : String(cause)}`,
          hint: 'Fix inContext()/tags() of the provider; the run starts without its tags.',
          cause,
        }),
      );
      continue;
    }
    for (const [key, value] of Object.entries(tags)) merged.set(key, value as string);
  }
  for (const tag of explicit) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}
