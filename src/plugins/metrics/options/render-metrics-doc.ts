import type { MetricOption } from '../../../adapters/index.ts';
import { describeDefault, describeOptionValues } from './format-options-help.ts';

/** A metric as the reference page lists it. */
export interface DocumentedMetric {
  name: string;
  description: string;
  options: readonly MetricOption[];
}

// Table cells hold one line; a "|" inside would end the cell.
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * Renders the Markdown reference of the given metrics: a heading, the description and a table of
 * options (name, values, default, description) per metric, in the order given; deterministic, so a
 * committed copy can be checked against it.
 */
export function renderMetricsDoc(metrics: readonly DocumentedMetric[]): string {
  const parts = [
    '# Built-in metrics',
    '',
    '<!-- Generated from src/plugins/metrics/options by `npm run docs:metrics`; edit the declarations, not this file. -->',
    '',
    'Each metric declares its options as data (`metric.options`): the metric checks every call against the',
    'declaration, `plugboard eval --help` lists them, and the page builds its form fields from them. On the command',
    'line pass them as `--option KEY=VALUE` (VALUE is JSON when it parses) or `--option METRIC.KEY=VALUE`.',
    'An option given as `null` takes its default.',
  ];
  for (const metric of metrics) {
    parts.push('', `## \`${metric.name}\``, '', metric.description, '');
    if (metric.options.length === 0) {
      parts.push('No options.');
      continue;
    }
    parts.push('| option | values | default | description |', '| --- | --- | --- | --- |');
    for (const option of metric.options) {
      parts.push(`| \`${option.name}\` | ${cell(`\`${describeOptionValues(option)}\``)} | ${cell(`\`${describeDefault(option)}\``)} | ${cell(option.description)} |`);
    }
  }
  return `${parts.join('\n')}\n`;
}
