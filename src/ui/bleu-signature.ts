/**
 * sacreBLEU's signature for a BLEU score computed with `options` (the bleu plugin's option names):
 * `nrefs:N|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`, naming the sacreBLEU release whose numbers
 * the plugin reproduces. `references` is the number of references per row (`'var'` when rows differ).
 */
export function bleuSignature(options: Record<string, unknown>, references: number | 'var'): string {
  const effective = options['effective_order'] === true || (options['sentence'] === true && options['effective_order'] !== false);
  return [
    `nrefs:${references}`,
    `case:${options['lowercase'] === true ? 'lc' : 'mixed'}`,
    `eff:${effective ? 'yes' : 'no'}`,
    `tok:${typeof options['tokenize'] === 'string' ? options['tokenize'] : '13a'}`,
    `smooth:${typeof options['smooth_method'] === 'string' ? options['smooth_method'] : 'exp'}`,
    'version:2.6.0',
  ].join('|');
}
