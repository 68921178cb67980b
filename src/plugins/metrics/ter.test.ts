import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';
import { ter } from './ter.ts';
import type { TerResult } from './ter.ts';

const fixture = readFixture<TerResult>('ter.json');

describe('ter agrees with sacreBLEU 2.6 TER', () => {
  it.each(fixture.cases.map((c) => [c.input, JSON.stringify(c.options), c] as const))('matches on %s with options %s', async (_input, _key, c) => {
    const data = fixture.inputs[c.input]!;
    const result = (await computeMetric(ter, data.predictions, data.references, c.options)) as TerResult;
    expect(result.num_edits, `${c.input} num_edits`).toBe(c.expected.num_edits);
    expectClose(result.ref_length, c.expected.ref_length, `${c.input} ref_length`);
    expectClose(result.score, c.expected.score, `${c.input} score`);
    expect(result.signature).toBe(c.expected.signature);
  });
});

describe('ter inputs and options', () => {
  it('counts a block shift as one edit', async () => {
    const result = (await computeMetric(ter, ['d e f a b c'], ['a b c d e f'])) as TerResult;
    expect(result).toMatchObject({ num_edits: 1, ref_length: 6 });
  });

  it('signs with sacreBLEU\u2019s TER signature, nrefs "var" when rows have different numbers of references', async () => {
    const one = (await computeMetric(ter, ['a'], ['a'], { normalized: true, case_sensitive: true })) as TerResult;
    expect(one.signature).toBe('nrefs:1|case:mixed|tok:tercom|norm:yes|punct:yes|asian:no|version:2.6.0');
    const varied = (await computeMetric(ter, ['a', 'b'], ['a', ['b', 'c']], { no_punct: true })) as TerResult;
    expect(varied.signature).toBe('nrefs:var|case:lc|tok:tercom|norm:no|punct:no|asian:no|version:2.6.0');
  });

  it('tokenizes references twice, as sacreBLEU does, so a split that a second pass makes costs edits', async () => {
    const normalized = (await computeMetric(ter, ['x\u00a1....42'], ['x\u00a1....42'], { normalized: true })) as TerResult;
    expect(normalized).toMatchObject({ num_edits: 2, ref_length: 6 });
    expect(await computeMetric(ter, ['x\u00a1....42'], ['x\u00a1....42'])).toMatchObject({ num_edits: 0 });
  });

  it('throws listing the valid options for an unknown one', () => {
    expect(() => ter.init({ lowercase: true })).toThrowError(
      expect.objectContaining({ code: 'METRIC_OPTION', plugin: 'ter', hint: 'Valid options: normalized, no_punct, asian_support, case_sensitive.' }),
    );
  });
});
