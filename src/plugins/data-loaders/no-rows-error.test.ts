import { describe, expect, it } from 'vitest';
import { PlugboardError } from '../../errors/index.ts';
import { noRowsError } from './no-rows-error.ts';

describe('noRowsError', () => {
  it('says NO_ROWS naming the source and the loader that read it', () => {
    const error = noRowsError('scores.csv', { skipped: 0 }, 'csv');
    expect(error).toBeInstanceOf(PlugboardError);
    expect(error).toMatchObject({
      code: 'NO_ROWS',
      group: 'codex_ml.data_loaders',
      plugin: 'csv',
      url: 'scores.csv',
      problem: 'scores.csv has no rows to score, so no metric has a value',
      hint: expect.stringContaining('at least one row below its header'),
    });
  });

  it('says how many rows were skipped when skipping left none', () => {
    const error = noRowsError('scores.csv', { skipped: 3 });
    expect(error.problem).toBe('scores.csv has no rows to score: all 3 of its rows were skipped as malformed');
    expect(error.plugin).toBeUndefined();
    expect(error.hint).toMatch(/^Fix the skipped rows/);
  });
});
