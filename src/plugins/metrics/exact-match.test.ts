import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { exactMatch } from './exact-match.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';

const fixture = readFixture<number>('exact-match.json');

describe('exact_match agrees with Hugging Face evaluate', () => {
  it.each(fixture.cases.map((c) => [c.input, JSON.stringify(c.options), c] as const))('matches on %s with options %s', async (_input, _key, c) => {
    const data = fixture.inputs[c.input]!;
    expectClose(await computeMetric(exactMatch, data.predictions, data.references, c.options), c.expected, `${c.input}`);
  });
});

describe('exact_match options', () => {
  it('does not trim whitespace', async () => {
    expect(await computeMetric(exactMatch, ['cat '], ['cat'])).toBe(0);
  });

  it('counts an emptied prediction as a match only when the originals were identical', async () => {
    expect(await computeMetric(exactMatch, ['!!', '??'], ['?', '??'], { ignore_punctuation: true })).toBe(0.5);
  });

  it('throws naming the pattern index for an invalid regular expression', () => {
    expect(() => exactMatch.init({ regexes_to_ignore: ['ok', '('] })).toThrowError(
      expect.objectContaining({ code: 'METRIC_OPTION', plugin: 'exact_match', field: 'options.regexes_to_ignore[1]' }),
    );
  });

  it('throws when a boolean option is not a boolean', () => {
    expect(() => exactMatch.init({ ignore_case: 'yes' })).toThrowError(/"ignore_case" must be true or false/);
  });
});
