// Reads a metric's options against its declaration: unknown keys and wrong values are errors that name
// the option and list what is valid; absent options take their declared defaults.
import type { MetricOption } from '../../adapters/index.ts';
// The inner file, not the folder's door: the door also holds the zod schemas, which a plugin must not bundle.
import { acceptsValue } from '../../adapters/accepts-option-value.ts';
import { metricError, showValue } from './metric-error.ts';

/** The options bag every metric receives (possibly undefined). */
export type MetricOptions = Record<string, unknown> | undefined;

type ValueOf<D> = D extends { type: 'boolean' }
  ? boolean
  : D extends { type: 'number' | 'integer' }
    ? number
    : D extends { type: 'string-list' }
      ? readonly string[]
      : D extends { type: 'label' }
        ? string | number | boolean
        : D extends { type: 'enum'; choices: readonly (infer C)[] }
          ? C
          : string;

/** The values `readOptions` returns for a declaration: each option's type, or null when its default is null and it is not given. */
export type OptionValues<T extends readonly MetricOption[]> = {
  [D in T[number] as D['name']]: ValueOf<D> | (D extends { default: null } ? null : never);
};

/**
 * Checks `options` against `declared` and returns every declared option's value, the default where it
 * is absent, `undefined` or `null`. Throws a METRIC_OPTION error for a bag that is not a plain object, an
 * unknown key (listing the valid ones) or a value of the wrong kind, choice or range.
 */
export function readOptions<const T extends readonly MetricOption[]>(metric: string, declared: T, options: unknown): OptionValues<T> {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `options must be an object, received ${showValue(options)}.`,
      hint: `Pass an object such as { ${declared[0]?.name ?? 'name'}: … } or nothing.`,
    });
  }
  const bag = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(bag)) {
    if (!declared.some((option) => option.name === key)) {
      throw metricError(metric, {
        code: 'METRIC_OPTION',
        problem: `unknown option "${key}".`,
        hint: declared.length > 0 ? `Valid options: ${declared.map((option) => option.name).join(', ')}.` : 'This metric takes no options.',
        field: `options.${key}`,
      });
    }
  }
  const values: Record<string, unknown> = {};
  for (const option of declared) {
    const value = Object.hasOwn(bag, option.name) ? bag[option.name] : undefined;
    if (value === undefined || value === null) {
      values[option.name] = option.default;
    } else if (acceptsValue(option, value)) {
      values[option.name] = value;
    } else {
      throw metricError(metric, { code: 'METRIC_OPTION', field: `options.${option.name}`, ...explainValue(option, value) });
    }
  }
  return values as OptionValues<T>;
}

function explainValue(option: MetricOption, value: unknown): { problem: string; hint: string; field?: string } {
  const received = `received ${showValue(value)}`;
  const name = option.name;
  switch (option.type) {
    case 'boolean':
      return { problem: `option "${name}" must be true or false, ${received}.`, hint: `Pass ${name}: true or ${name}: false.` };
    case 'number':
    case 'integer': {
      const kind = option.type === 'integer' ? 'an integer' : 'a number';
      const low = option.min ?? Number.NEGATIVE_INFINITY;
      const high = option.max ?? Number.POSITIVE_INFINITY;
      const range = Number.isFinite(low) && Number.isFinite(high) ? ` between ${low} and ${high}` : Number.isFinite(low) ? ` of ${low} or more` : Number.isFinite(high) ? ` of ${high} or less` : '';
      const fallback = option.default === null ? '' : `${name}: ${String(option.default)} (the default) or `;
      return { problem: `option "${name}" must be ${kind}${range}, ${received}.`, hint: `Pass ${fallback}another allowed value.` };
    }
    case 'enum': {
      const choices = option.choices ?? [];
      return {
        problem: `option "${name}" must be one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}, ${received}.`,
        hint: `Choose one of: ${choices.join(', ')}.`,
      };
    }
    case 'string':
      return { problem: `option "${name}" must be a string, ${received}.`, hint: `Pass ${name}: "…".` };
    case 'string-list': {
      const bad = Array.isArray(value) ? value.findIndex((item) => typeof item !== 'string') : -1;
      if (bad >= 0) {
        return { problem: `${name}[${bad}] must be a string, received ${showValue((value as unknown[])[bad])}.`, hint: 'Write each item as a string.', field: `options.${name}[${bad}]` };
      }
      return { problem: `option "${name}" must be a list of strings, ${received}.`, hint: `Pass ${name}: ["…", "…"], a list even for one item.` };
    }
    case 'label':
      return { problem: `option "${name}" must be a string, number or boolean label, ${received}.`, hint: `Pass ${name} set to the class exactly as it appears in the data.` };
  }
}

/**
 * Returns the options to keep in a state (a shallow copy), so `update` and `finalize` called without
 * options use the ones given to `init`; undefined when there are none.
 */
export function keepOptions(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return options === undefined || options === null ? undefined : { ...options };
}
