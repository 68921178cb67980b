import type { MetricOption } from '../../../adapters/index.ts';

/** Shows an option's accepted values the way a command line user types them, e.g. `13a|none` or `INTEGER 1..16`. */
export function describeOptionValues(option: MetricOption): string {
  switch (option.type) {
    case 'boolean':
      return 'true|false';
    case 'enum':
      return (option.choices ?? []).join('|');
    case 'number':
    case 'integer': {
      const kind = option.type === 'integer' ? 'INTEGER' : 'NUMBER';
      // The safe-integer limits stand for "no bound" (an integer option that takes any integer).
      const bound = (value: number | undefined) => (value === undefined || Math.abs(value) === Number.MAX_SAFE_INTEGER ? '' : String(value));
      const low = bound(option.min);
      const high = bound(option.max);
      return low === '' && high === '' ? kind : `${kind} ${low}..${high}`;
    }
    case 'string':
      return 'TEXT';
    case 'string-list':
      return '["TEXT", …]';
    case 'label':
      return 'LABEL';
  }
}

/** Shows an option's default as JSON, or `not set` when it is null. */
export function describeDefault(option: MetricOption): string {
  return option.default === null ? 'not set' : JSON.stringify(option.default);
}

/**
 * Lists each metric's options for a command's help: one line per option with its values, default and
 * description; a metric without options says so. Metrics appear in the order given.
 */
export function formatOptionsHelp(metrics: Readonly<Record<string, readonly MetricOption[]>>): string {
  const lines: string[] = [];
  for (const [metric, options] of Object.entries(metrics)) {
    if (options.length === 0) {
      lines.push(`  ${metric}: no options`);
      continue;
    }
    lines.push(`  ${metric}:`);
    for (const option of options) {
      const usage = `${option.name}=${describeOptionValues(option)}`;
      lines.push(`    ${usage.padEnd(36)} ${option.description} (default: ${describeDefault(option)})`);
    }
  }
  return lines.join('\n');
}
