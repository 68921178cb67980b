import { describe, expect, it } from 'vitest';
import { mergeDatasetInputs, validateDatasetInputs } from './dataset-inputs.ts';

const dataset = { name: 'reviews', digest: 'abc', sourceType: 'local', source: 'reviews.csv' };

describe('validateDatasetInputs', () => {
  it('names the field of a missing or too long value', () => {
    const cases: [unknown, string, RegExp][] = [
      [[{ tags: [] }], 'datasets[0].dataset', /Dataset cannot be None/],
      [[{ dataset: { ...dataset, digest: undefined }, tags: [] }], 'datasets[0].dataset.digest', /dataset digest must be a string/],
      [[{ dataset }, { dataset: { ...dataset, digest: 'x'.repeat(37) } }], 'datasets[1].dataset.digest', /'digest' exceeds the maximum length of 36 characters/],
      [[{ dataset, tags: [{ key: 'k', value: 'v'.repeat(501) }] }], 'datasets[0].tags[0].value', /'value' exceeds the maximum length of 500/],
      [[{ dataset: { ...dataset, schema: 5 } }], 'datasets[0].dataset.schema', /dataset schema must be a string/],
      ['nope', 'datasets', /must be a list/],
    ];
    for (const [input, field, message] of cases) {
      expect(() => validateDatasetInputs(input), field).toThrow(message);
      try {
        validateDatasetInputs(input);
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field });
      }
    }
  });

  it('copies only the known fields, with no tags as an empty list', () => {
    expect(validateDatasetInputs([{ dataset: { ...dataset, extra: 1 } }])).toEqual([{ dataset, tags: [] }]);
  });
});

describe('mergeDatasetInputs', () => {
  it('adds each name and digest once, first tags ordered by key, taking the known copy; null when nothing is new', () => {
    const known = { ...dataset, source: 'first.csv' };
    const merged = mergeDatasetInputs(
      [],
      [
        { dataset, tags: [{ key: 'z', value: '1' }, { key: 'a', value: '2' }] },
        { dataset, tags: [{ key: 'ignored', value: '' }] },
      ],
      (name, digest) => (name === 'reviews' && digest === 'abc' ? known : undefined),
    );
    expect(merged).toEqual([{ dataset: known, tags: [{ key: 'a', value: '2' }, { key: 'z', value: '1' }] }]);
    expect(mergeDatasetInputs(merged!, [{ dataset, tags: [] }], () => undefined)).toBeNull();
  });
});
