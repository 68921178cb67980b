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

  it('counts two strings that both normalise to "" as a match, as evaluate does', async () => {
    expect(await computeMetric(exactMatch, ['!!', '??', '12'], ['?', '??', '3.'], { ignore_punctuation: true, ignore_numbers: true })).toBe(1);
  });

  it('runs the first pattern on the strings as given, trailing NULs included', async () => {
    expect(await computeMetric(exactMatch, ['nul\0'], ['nu'], { regexes_to_ignore: ['l$'] })).toBe(0);
    expect(await computeMetric(exactMatch, ['nul\0'], ['nul'])).toBe(1);
  });

  it('refuses a bare string for regexes_to_ignore, which evaluate would split into one-character patterns', () => {
    expect(() => exactMatch.init({ regexes_to_ignore: 'the ' })).toThrowError(
      expect.objectContaining({ code: 'METRIC_OPTION', field: 'options.regexes_to_ignore', hint: expect.stringContaining('a list even for one item') }),
    );
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
