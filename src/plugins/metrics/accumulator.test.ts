import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.ts';
import { bleu } from './bleu.ts';
import { chrf } from './chrf.ts';
import { exactMatch } from './exact-match.ts';
import { f1 } from './f1.ts';
import { bitsOf, readFixture } from './fixtures/parity.ts';
import type { FixtureInput } from './fixtures/parity.ts';
import { ppl } from './ppl.ts';
import { rouge } from './rouge.ts';
import { squad } from './squad.ts';
import { ter } from './ter.ts';
import { tokenAccuracy } from './token-accuracy.ts';

interface Accumulator {
  init(options?: Record<string, unknown>): unknown;
  update(state: any, batch: { predictions: readonly unknown[]; references: readonly unknown[] }, options?: Record<string, unknown>): unknown;
  merge(a: any, b: any, options?: Record<string, unknown>): unknown;
  finalize(state: any, options?: Record<string, unknown>): unknown;
}

const text = readFixture('bleu.json').inputs['random-corpus']!;
const cases: [string, Accumulator, FixtureInput, Record<string, unknown>][] = [
  ['accuracy', accuracy, readFixture('accuracy.json').inputs['multiclass-str']!, {}],
  ['f1 (macro)', f1, readFixture('f1.json').inputs['multiclass-int']!, { average: 'macro' }],
  ['f1 (weighted)', f1, readFixture('f1.json').inputs['multiclass-str']!, { average: 'weighted' }],
  ['exact_match', exactMatch, readFixture('exact-match.json').inputs.pairs!, { ignore_case: true }],
  ['squad', squad, readFixture('squad.json').inputs.mixed!, {}],
  ['bleu', bleu, text, {}],
  ['bleu (sentence)', bleu, text, { sentence: true }],
  ['chrf', chrf, text, { word_order: 2 }],
  ['rouge', rouge, text, { use_stemmer: true }],
  ['ter', ter, text, {}],
  ['ter (normalized, several references)', ter, readFixture('ter.json').inputs['generated-mixed']!, { normalized: true, asian_support: true }],
  ['ppl', ppl, readFixture('ppl.json').inputs.random!, {}],
  ['token_accuracy', tokenAccuracy, readFixture('token-accuracy.json').inputs.random!, {}],
];

// A state as a Worker would post it: structured-cloned.
function stateOf(metric: Accumulator, data: FixtureInput, from: number, to: number, options: Record<string, unknown>): unknown {
  const batch = { predictions: data.predictions.slice(from, to), references: (data.references ?? []).slice(from, to) };
  return structuredClone(metric.update(metric.init(options), batch, options));
}

describe('every built-in metric is an exact accumulator', () => {
  it.each(cases)('%s: merging the states of two halves gives the whole result bit for bit', (_name, metric, data, options) => {
    const rows = data.predictions.length;
    const whole = bitsOf(metric.finalize(stateOf(metric, data, 0, rows, options), options));
    for (const cut of [1, Math.floor(rows / 3), Math.floor(rows / 2), rows - 1]) {
      const merged = metric.merge(stateOf(metric, data, 0, cut, options), stateOf(metric, data, cut, rows, options), options);
      expect(bitsOf(metric.finalize(merged, options))).toBe(whole);
    }
  });

  it.each(cases)('%s: merge is associative over three parts and agrees with the whole', (_name, metric, data, options) => {
    const rows = data.predictions.length;
    const first = Math.floor(rows / 4);
    const second = Math.floor((rows * 3) / 5);
    const part = (from: number, to: number) => stateOf(metric, data, from, to, options);
    const left = metric.merge(metric.merge(part(0, first), part(first, second), options), part(second, rows), options);
    const right = metric.merge(part(0, first), metric.merge(part(first, second), part(second, rows), options), options);
    const whole = bitsOf(metric.finalize(part(0, rows), options));
    expect(bitsOf(metric.finalize(left, options))).toBe(whole);
    expect(bitsOf(metric.finalize(right, options))).toBe(whole);
  });

  it.each(cases)('%s: folding rows one batch at a time equals one batch', (_name, metric, data, options) => {
    const rows = data.predictions.length;
    let state = metric.init(options);
    for (let from = 0; from < rows; from += 7) {
      state = metric.update(state, { predictions: data.predictions.slice(from, from + 7), references: (data.references ?? []).slice(from, from + 7) }, options);
    }
    expect(bitsOf(metric.finalize(state, options))).toBe(bitsOf(metric.finalize(stateOf(metric, data, 0, rows, options), options)));
  });
});

describe('options kept in the state', () => {
  it.each(cases.filter(([, , , options]) => Object.keys(options).length > 0))(
    '%s: update and finalize without options use the options given to init',
    (_name, metric, data, options) => {
      const batch = { predictions: data.predictions, references: data.references ?? [] };
      const withOptions = metric.finalize(metric.update(metric.init(options), batch, options), options);
      const fromInit = metric.finalize(metric.update(metric.init(options), batch));
      expect(bitsOf(fromInit)).toBe(bitsOf(withOptions));
      // Without any options the result differs (or, for f1's default "binary" on many classes, throws).
      let plain: string;
      try {
        plain = bitsOf(metric.finalize(metric.update(metric.init(), batch)));
      } catch (error) {
        plain = String(error);
      }
      expect(plain).not.toBe(bitsOf(withOptions));
    },
  );
});
