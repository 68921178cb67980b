// Metric options as data: the built-in metrics' declarations, and the texts (CLI help, Markdown) made from any declaration.
export { BUILTIN_METRIC_OPTIONS } from './builtin-metric-options.ts';
export { formatOptionsHelp } from './format-options-help.ts';
export { renderMetricsDoc } from './render-metrics-doc.ts';
