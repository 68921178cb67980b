import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';
import { squad } from './squad.ts';
import { squadTokens } from './text/squad-tokens.ts';

const fixture = readFixture<{ exact_match: number; f1: number }>('squad.json');

describe('squad agrees with the SQuAD v1.1 script', () => {
  it.each(fixture.cases.map((c) => [c.input, c] as const))('matches exact_match and f1 on %s', async (_input, c) => {
    const data = fixture.inputs[c.input]!;
    const result = (await computeMetric(squad, data.predictions, data.references)) as { exact_match: number; f1: number };
    expectClose(result.exact_match, c.expected.exact_match, `${c.input} exact_match`);
    expectClose(result.f1, c.expected.f1, `${c.input} f1`);
  });
});

describe('squad inputs', () => {
  it('removes articles only as whole words and keeps Unicode punctuation', () => {
    expect(squadTokens('The theater, an “Apple”!')).toEqual(['theater', '“apple”']);
  });

  it('accepts SQuAD answer objects and prediction_text objects', async () => {
    const result = await computeMetric(squad, [{ prediction_text: 'Denver Broncos' }], [{ answers: { text: ['Denver Broncos', 'Broncos'] } }]);
    expect(result).toEqual({ exact_match: 100, f1: 100 });
  });

  it('throws naming the row when a reference has no gold answer', async () => {
    await expect(computeMetric(squad, ['a', 'b'], ['a', []])).rejects.toMatchObject({ code: 'METRIC_INPUT', field: 'references[1]' });
  });
});
