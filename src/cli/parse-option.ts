import { UsageError } from './usage.ts';

/** Reads an option value the way the command line documents: JSON when it parses (`true`, `3`, `"x"`, `[1]`), else the text itself. */
export function parseOptionValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Splits repeated `KEY=VALUE` arguments into an object, values read by parseOptionValue; a later key
 * wins. Throws UsageError naming the flag and the argument when one has no `=` or an empty key.
 */
export function parseKeyValues(items: readonly string[] | undefined, flag: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const item of items ?? []) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new UsageError(`${flag} expects KEY=VALUE, received ${JSON.stringify(item)}`, 'eval');
    out.set(item.slice(0, equals), parseOptionValue(item.slice(equals + 1)));
  }
  return out;
}

/**
 * Gives each metric its options: plain keys go to every metric, `METRIC.KEY` keys only to that one.
 * Throws UsageError when a `METRIC.` prefix names a metric that is not being computed.
 */
export function optionsPerMetric(options: Map<string, unknown>, metrics: readonly string[]): Map<string, Record<string, unknown>> {
  const out = new Map(metrics.map((metric) => [metric, {} as Record<string, unknown>]));
  for (const [key, value] of options) {
    const dot = key.indexOf('.');
    if (dot > 0 && !metrics.includes(key.slice(0, dot)) && metrics.length > 0) {
      throw new UsageError(`--option ${key}: "${key.slice(0, dot)}" is not one of the metrics given (${metrics.join(', ')})`, 'eval');
    }
    if (dot > 0) out.get(key.slice(0, dot))![key.slice(dot + 1)] = value;
    else for (const bag of out.values()) bag[key] = value;
  }
  return out;
}
