import { describe, expect, it } from 'vitest';
import { formatError, PlugboardError } from './index.ts';

const merge = {
  code: 'INVALID_PLUGIN',
  stage: 'validate' as const,
  group: 'codex_ml.metrics',
  plugin: 'half',
  url: 'https://cdn.example/half.js',
  field: 'merge',
  problem: '"merge": expected a function, received undefined',
  hint: 'A codex_ml.metrics plugin is a function or an accumulator.',
};
const finalize = { ...merge, field: 'finalize', problem: '"finalize": expected a function, received undefined' };

describe('formatError', () => {
  it('prints where, the problem and its field, then the url and the hint', () => {
    expect(formatError(merge)).toBe(
      [
        '[codex_ml.metrics/half] "merge": expected a function, received undefined → at merge',
        '  url:  https://cdn.example/half.js',
        '  hint: A codex_ml.metrics plugin is a function or an accumulator.',
      ].join('\n'),
    );
  });

  it('prints each of several problems on its own line and a url or hint they share once', () => {
    const text = formatError([merge, finalize]);
    expect(text.split('\n')).toEqual([
      '[codex_ml.metrics/half] "merge": expected a function, received undefined → at merge',
      '[codex_ml.metrics/half] "finalize": expected a function, received undefined → at finalize',
      '  url:  https://cdn.example/half.js',
      '  hint: A codex_ml.metrics plugin is a function or an accumulator.',
    ]);
  });

  it('prints one line on request: the problems, each hint in parentheses, then a url the problems do not name', () => {
    expect(formatError([merge, finalize], { oneLine: true })).toBe(
      '[codex_ml.metrics/half] "merge": expected a function, received undefined → at merge; ' +
        '[codex_ml.metrics/half] "finalize": expected a function, received undefined → at finalize' +
        ' (A codex_ml.metrics plugin is a function or an accumulator) <https://cdn.example/half.js>',
    );
    expect(formatError({ code: 'NO_ROWS', url: 'data.csv', problem: 'data.csv has no rows', hint: 'Add rows.' }, { oneLine: true })).toBe('data.csv has no rows (Add rows)');
  });

  it('leaves out what is not known', () => {
    expect(formatError({ code: 'X', problem: 'no manifest' })).toBe('no manifest');
  });
});

describe('PlugboardError', () => {
  it('keeps its own fields as its one problem', () => {
    const error = new PlugboardError(merge);
    expect(error.problems).toEqual([merge]);
    expect(error.message).toBe(formatError(merge));
  });

  it('keeps several problems as data, its own fields being the first, and its message built from all of them', () => {
    const error = new PlugboardError({ ...merge, problems: [merge, finalize] });
    expect(error.field).toBe('merge');
    expect(error.problems.map((problem) => problem.field)).toEqual(['merge', 'finalize']);
    expect(error.message).toBe(formatError([merge, finalize]));
    expect(error.message.match(/hint:/g)).toHaveLength(1);
  });
});

describe('formatError on one line', () => {
  it('joins a problem quoting outside text with long blank runs in linear time', { timeout: 3000 }, () => {
    // A row's text can reach the problem; whitespace on both sides of the line break in one pattern took cubic time.
    const started = performance.now();
    const text = formatError({ code: 'X', problem: `bad row "a${'\n'.repeat(100_000)}b${' '.repeat(100_000)}c"` }, { oneLine: true });
    expect(performance.now() - started).toBeLessThan(500);
    expect(text).toBe(`bad row "a b${' '.repeat(100_000)}c"`);
  });
});
