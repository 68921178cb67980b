import { describe, expect, it } from 'vitest';
import { PlugboardError } from 'plugboard/sdk';
import type { MetricOption } from '../../adapters/index.ts';
import { readOptions } from './read-options.ts';

const DECLARED = [
  { name: 'lowercase', type: 'boolean', default: false, description: 'Lowercase.' },
  { name: 'tokenize', type: 'enum', default: '13a', choices: ['13a', 'none'], description: 'Tokenizer.' },
  { name: 'order', type: 'integer', default: 4, min: 1, max: 16, description: 'Order.' },
  { name: 'smooth', type: 'number', default: null, min: 0, description: 'Smoothing.' },
  { name: 'patterns', type: 'string-list', default: null, description: 'Patterns.' },
  { name: 'positive', type: 'label', default: 1, description: 'Label.' },
] as const satisfies readonly MetricOption[];

const errorOf = (options: unknown) => {
  try {
    readOptions('m', DECLARED, options);
  } catch (error) {
    expect(error).toBeInstanceOf(PlugboardError);
    return error as PlugboardError;
  }
  throw new Error('expected readOptions to throw');
};

describe('readOptions', () => {
  it('fills every declared option with its default when absent, undefined or null', () => {
    const defaults = { lowercase: false, tokenize: '13a', order: 4, smooth: null, patterns: null, positive: 1 };
    expect(readOptions('m', DECLARED, undefined)).toEqual(defaults);
    expect(readOptions('m', DECLARED, { lowercase: null, order: undefined })).toEqual(defaults);
  });

  it('returns given values of the right kind, choice and range', () => {
    expect(readOptions('m', DECLARED, { tokenize: 'none', order: 16, smooth: 0.5, patterns: ['a', 'b'], positive: 'spam' })).toMatchObject({
      tokenize: 'none',
      order: 16,
      smooth: 0.5,
      patterns: ['a', 'b'],
      positive: 'spam',
    });
  });

  it('refuses an unknown option, listing the valid ones', () => {
    expect(errorOf({ lower: true })).toMatchObject({
      code: 'METRIC_OPTION',
      group: 'codex_ml.metrics',
      plugin: 'm',
      field: 'options.lower',
      problem: 'unknown option "lower".',
      hint: 'Valid options: lowercase, tokenize, order, smooth, patterns, positive.',
    });
    expect(() => readOptions('m', [], { x: 1 })).toThrowError(expect.objectContaining({ hint: 'This metric takes no options.' }));
  });

  it('refuses a value of the wrong kind, choice or range, naming the option and what is allowed', () => {
    expect(errorOf({ lowercase: 'yes' })).toMatchObject({ field: 'options.lowercase', problem: 'option "lowercase" must be true or false, received "yes".' });
    expect(errorOf({ tokenize: 'intl' })).toMatchObject({ field: 'options.tokenize', problem: 'option "tokenize" must be one of "13a", "none", received "intl".', hint: 'Choose one of: 13a, none.' });
    expect(errorOf({ order: 17 })).toMatchObject({ field: 'options.order', problem: 'option "order" must be an integer between 1 and 16, received 17.' });
    expect(errorOf({ order: 2.5 }).field).toBe('options.order');
    expect(errorOf({ smooth: -1 })).toMatchObject({ problem: 'option "smooth" must be a number of 0 or more, received -1.' });
    expect(errorOf({ smooth: Number.NaN }).field).toBe('options.smooth');
    expect(errorOf({ patterns: 'the ' })).toMatchObject({ field: 'options.patterns', hint: 'Pass patterns: ["…", "…"], a list even for one item.' });
    expect(errorOf({ patterns: ['a', 3] })).toMatchObject({ field: 'options.patterns[1]', problem: 'patterns[1] must be a string, received 3.' });
    expect(errorOf({ positive: {} })).toMatchObject({ field: 'options.positive' });
  });

  it('refuses options that are not a plain object', () => {
    expect(errorOf([1])).toMatchObject({ code: 'METRIC_OPTION', problem: 'options must be an object, received an array of 1.' });
    expect(errorOf('lowercase')).toMatchObject({ code: 'METRIC_OPTION' });
  });
});
