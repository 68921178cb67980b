import * as z from 'zod/mini';

/** The contract a stable group's plugins are held to (API v1). */
export interface Adapter {
  /** The entry-point group, e.g. `codex_ml.metrics`. */
  group: string;
  /** What a plugin of this group is, in words, for error messages. */
  expected: string;
  /** Whether a plain function is an acceptable plugin (its `api`/`description` properties are still checked). */
  acceptsFunction: boolean;
  /** The checks of a function plugin's own properties; the common fields when absent. */
  functionSchema?: z.ZodMiniType;
  /** The fields an object plugin must have; absent when only functions are accepted. */
  objectSchema?: z.ZodMiniType;
  /** Whether `resolveAndInstantiate` calls the plugin with the options (a factory) or returns it as is. */
  isFactory: boolean;
  /** What the factory must return. */
  instance?: { expected: string; schema: z.ZodMiniType };
}

/** A function, checked by kind only (a function's parameters cannot be inspected). */
export const FunctionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  error: 'expected a function',
});

/** Optional descriptive fields any plugin may carry, object or function alike. */
export const CommonFields = {
  api: z.optional(z.literal('v1', { error: 'expected "v1" (this host speaks plugin API v1)' })),
  name: z.optional(z.string()),
  description: z.optional(z.string()),
  version: z.optional(z.string()),
};

/** The checks for a function plugin's own properties. */
export const FunctionPropertiesSchema = z.looseObject(CommonFields);

/** Builds an object schema with the common fields and the given methods, all required. */
export function methodsSchema(methods: readonly string[], extra: Record<string, z.ZodMiniType> = {}): z.ZodMiniType {
  return z.looseObject({
    ...CommonFields,
    ...Object.fromEntries(methods.map((method) => [method, FunctionSchema])),
    ...extra,
  });
}
