// Reads and checks a metric's options: unknown keys and wrong types are errors that list the valid choices.
import { metricError, showValue } from './metric-error.ts';

/** The options bag every metric receives (possibly undefined). */
export type MetricOptions = Record<string, unknown> | undefined;

/**
 * Checks that `options` is a plain object whose keys are all in `known`; returns it (or `{}` for
 * undefined/null) and throws a METRIC_OPTION error naming the first unknown key and the valid ones.
 */
export function readOptions(metric: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `options must be an object, received ${showValue(options)}.`,
      hint: `Pass an object such as { ${known[0] ?? 'name'}: … } or nothing.`,
    });
  }
  const bag = options as Record<string, unknown>;
  for (const key of Object.keys(bag)) {
    if (!known.includes(key)) {
      throw metricError(metric, {
        code: 'METRIC_OPTION',
        problem: `unknown option "${key}".`,
        hint: known.length > 0 ? `Valid options: ${known.join(', ')}.` : 'This metric takes no options.',
        field: `options.${key}`,
      });
    }
  }
  return bag;
}

/**
 * Returns the options to keep in a state (a shallow copy), so `update` and `finalize` called without
 * options use the ones given to `init`; undefined when there are none.
 */
export function keepOptions(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return options === undefined || options === null ? undefined : { ...options };
}

/** Returns the boolean option `name`, `fallback` when it is absent; throws when it is not a boolean. */
export function readBoolean(metric: string, bag: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = bag[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `option "${name}" must be true or false, received ${showValue(value)}.`,
      hint: `Pass ${name}: true or ${name}: false.`,
      field: `options.${name}`,
    });
  }
  return value;
}

/** Returns the option `name` when it is one of `choices`, `fallback` when absent; throws listing the choices otherwise. */
export function readChoice<T extends string>(
  metric: string,
  bag: Record<string, unknown>,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = bag[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `option "${name}" must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, received ${showValue(value)}.`,
      hint: `Choose one of: ${choices.join(', ')}.`,
      field: `options.${name}`,
    });
  }
  return value as T;
}

/**
 * Returns the numeric option `name` (an integer when `integer` is set) within [min, max], `fallback`
 * when absent; throws naming the allowed range otherwise.
 */
export function readNumber(
  metric: string,
  bag: Record<string, unknown>,
  name: string,
  fallback: number,
  range: { min: number; max?: number; integer?: boolean },
): number {
  const value = bag[name];
  if (value === undefined) return fallback;
  const max = range.max ?? Number.POSITIVE_INFINITY;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < range.min ||
    value > max ||
    (range.integer === true && !Number.isInteger(value))
  ) {
    const kind = range.integer === true ? 'an integer' : 'a number';
    const upper = Number.isFinite(max) ? ` and ${max}` : ' or more';
    throw metricError(metric, {
      code: 'METRIC_OPTION',
      problem: `option "${name}" must be ${kind} ${Number.isFinite(max) ? 'between' : 'of'} ${range.min}${upper}, received ${showValue(value)}.`,
      hint: `Pass ${name}: ${fallback} (the default) or another allowed value.`,
      field: `options.${name}`,
    });
  }
  return value;
}
