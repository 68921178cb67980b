import { describe, expect, it } from 'vitest';
import { MetricOptionsSchema, validatePlugin } from './index.ts';

const origin = { group: 'codex_ml.metrics', name: 'm', url: 'https://cdn.example/m.js', exportName: 'm' };
const fn = () => undefined;
const accumulator = { init: fn, update: fn, merge: fn, finalize: fn };
const GOOD = [
  { name: 'lowercase', type: 'boolean', default: false, description: 'Lowercase first.' },
  { name: 'tokenize', type: 'enum', default: '13a', choices: ['13a', 'none'], description: 'The tokenizer.' },
  { name: 'order', type: 'integer', default: 4, min: 1, max: 16, description: 'The order.' },
  { name: 'smooth', type: 'number', default: null, min: 0, description: 'Smoothing.' },
  { name: 'patterns', type: 'string-list', default: null, description: 'Patterns.' },
  { name: 'positive', type: 'label', default: 1, description: 'The positive label.' },
  { name: 'model', type: 'string', default: '', description: 'A URL.' },
];

describe('metric option declarations', () => {
  it('accept every kind of option with a default of its kind or null', () => {
    expect(MetricOptionsSchema.safeParse(GOOD).success).toBe(true);
  });

  it('refuse an enum without choices, a default outside the choices or bounds, an unknown kind and duplicate names', () => {
    const refused = [
      [{ name: 'a', type: 'enum', default: 'x', description: 'd' }],
      [{ name: 'a', type: 'enum', default: 'x', choices: ['y'], description: 'd' }],
      [{ name: 'a', type: 'integer', default: 0, min: 1, description: 'd' }],
      [{ name: 'a', type: 'integer', default: 1.5, description: 'd' }],
      [{ name: 'a', type: 'date', default: null, description: 'd' }],
      [{ name: 'a', type: 'boolean', default: false }],
      [GOOD[0], GOOD[0]],
    ];
    for (const declaration of refused) expect(MetricOptionsSchema.safeParse(declaration).success, JSON.stringify(declaration)).toBe(false);
  });

  it('are accepted on a metric accumulator or function, and a malformed one is refused naming its path', () => {
    expect(validatePlugin({ ...accumulator, options: GOOD }, origin)).toEqual([]);
    expect(validatePlugin(Object.assign((p: unknown[]) => p.length, { options: GOOD }), origin)).toEqual([]);
    const [problem] = validatePlugin({ ...accumulator, options: [{ name: 'tokenize', type: 'enum', default: '13a', description: 'd' }] }, origin);
    expect(problem).toMatchObject({ code: 'INVALID_PLUGIN', stage: 'validate', plugin: 'm', field: 'options[0].choices' });
    const [fromFunction] = validatePlugin(Object.assign(fn, { options: 'lowercase' }), origin);
    expect(fromFunction).toMatchObject({ code: 'INVALID_PLUGIN', field: 'options' });
  });
});

describe('a metric\u2019s prepare', () => {
  it('is optional, and must be a function when present', () => {
    expect(validatePlugin({ ...accumulator, prepare: async () => undefined }, origin)).toEqual([]);
    const [problem] = validatePlugin({ ...accumulator, prepare: 'load' }, origin);
    expect(problem).toMatchObject({ code: 'INVALID_PLUGIN', field: 'prepare' });
  });
});
