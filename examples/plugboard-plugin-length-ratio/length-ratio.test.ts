import { describe, expect, it } from 'vitest';
// @ts-expect-error the example package is plain JavaScript, as published, with no declarations
import { lengthRatio } from './length-ratio.js';

type Score = { score: number; predictionLength: number; referenceLength: number };
const score = (predictions: string[], references: string[]) => (lengthRatio as (p: string[], r: string[]) => Score)(predictions, references);

describe('length_ratio', () => {
  it('is stamped as an API v1 metric by the SDK', () => {
    expect((lengthRatio as { api?: string }).api).toBe('v1');
  });

  it('divides the total prediction tokens by the total reference tokens', () => {
    expect(score(['a b c', 'd'], ['a b', 'c d e f'])).toEqual({ score: 4 / 6, predictionLength: 4, referenceLength: 6 });
  });

  it('counts any run of whitespace as one separator and ignores blank ends', () => {
    expect(score(['  a\t\tb \n'], ['a b'])).toEqual({ score: 1, predictionLength: 2, referenceLength: 2 });
  });

  it('is NaN when the references hold no tokens', () => {
    expect(score([], []).score).toBeNaN();
    expect(score(['a'], ['  ']).score).toBeNaN();
  });
});
