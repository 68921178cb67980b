import * as z from 'zod/mini';
import { acceptsValue } from './accepts-option-value.ts';

/**
 * The kinds of value a metric option takes: `boolean`, `number` (finite), `integer`, `string`, `enum`
 * (one of `choices`), `string-list` (an array of strings) and `label` (a class label as it appears in the
 * data: a string, number or boolean).
 */
export const MetricOptionTypeSchema = z.enum(['boolean', 'number', 'integer', 'string', 'enum', 'string-list', 'label']);
export type MetricOptionType = z.infer<typeof MetricOptionTypeSchema>;

/** A value an option can hold; `null` is "not set" (the metric's behaviour without it, as described). */
export const MetricOptionValueSchema = z.union([z.boolean(), z.number(), z.string(), z.readonly(z.array(z.string())), z.null()]);
export type MetricOptionValue = z.infer<typeof MetricOptionValueSchema>;

/**
 * One option a metric declares: its name, kind, default, allowed values and a one-sentence description.
 * `choices` is required for (and only meaningful with) `enum`; `min`/`max` are inclusive bounds for
 * `number` and `integer`. The default must itself be an allowed value (or `null`).
 */
export const MetricOptionSchema = z
  .object({
    name: z.string().check(z.minLength(1)),
    type: MetricOptionTypeSchema,
    default: MetricOptionValueSchema,
    description: z.string().check(z.minLength(1)),
    choices: z.optional(z.readonly(z.array(z.string()).check(z.minLength(1)))),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
  })
  .check(
    z.refine((option) => option.type !== 'enum' || option.choices !== undefined, {
      error: 'an "enum" option needs "choices"',
      path: ['choices'],
    }),
    z.refine((option) => option.default === null || acceptsValue(option, option.default), {
      error: 'the default is not an allowed value of the option',
      path: ['default'],
    }),
  );
export type MetricOption = z.infer<typeof MetricOptionSchema>;

/** A metric's whole declaration: options with distinct names. */
export const MetricOptionsSchema = z.readonly(
  z.array(MetricOptionSchema).check(
    z.refine((options) => new Set(options.map((option) => option.name)).size === options.length, {
      error: 'two options have the same name',
    }),
  ),
);
