import { describe, expect, it } from 'vitest';
import { normalizePosixPath, validateBatch, validateKey, validateMetric, validateRunId } from './index.ts';

describe('normalizePosixPath', () => {
  it("matches Python's posixpath.normpath", () => {
    const cases: [string, string][] = [
      ['', '.'], ['.', '.'], ['a/b', 'a/b'], ['a//b', 'a/b'], ['a/./b', 'a/b'], ['a/../b', 'b'], ['../a', '../a'],
      ['/a/../..', '/'], ['//a', '//a'], ['///a', '/a'], ['a/', 'a'], ['a/b/..', 'a'], ['../../x/..', '../..'],
    ];
    for (const [input, expected] of cases) expect(normalizePosixPath(input), input).toBe(expected);
  });
});

describe('validateKey', () => {
  it('accepts letters of any script, digits, _ - . space and /', () => {
    for (const key of ['loss', 'train/loss', 'a b', 'é-ü_1.0', '日本語', '__proto__']) expect(() => validateKey(key, 'key')).not.toThrow();
  });

  it('refuses with INVALID_PARAMETER_VALUE naming the field and the key', () => {
    expect(() => validateKey('a*b', 'metrics[2].key', 'metric key')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'metrics[2].key', problem: expect.stringContaining('metric key "a*b"') }),
    );
    expect(() => validateKey('x/../y', 'key')).toThrow(expect.objectContaining({ problem: expect.stringContaining('would resolve to "y"') }));
    expect(() => validateKey(undefined, 'key')).toThrow(expect.objectContaining({ problem: 'key must be a string, received undefined' }));
  });
});

describe('validateMetric', () => {
  it('fills timestamp now and step 0, and keeps NaN and ±Infinity', () => {
    expect(validateMetric({ key: 'm', value: Number.NaN }, 'metric', 42)).toEqual({ key: 'm', value: Number.NaN, timestamp: 42, step: 0 });
    expect(validateMetric({ key: 'm', value: -Infinity, timestamp: 1, step: -3 })).toEqual({ key: 'm', value: -Infinity, timestamp: 1, step: -3 });
  });

  it('refuses fractional steps and timestamps', () => {
    expect(() => validateMetric({ key: 'm', value: 1, step: 1.5 })).toThrow(expect.objectContaining({ field: 'metric.step' }));
    expect(() => validateMetric({ key: 'm', value: 1, timestamp: 0.5 })).toThrow(expect.objectContaining({ field: 'metric.timestamp' }));
  });
});

describe('validateBatch', () => {
  it('names the offending item of a batch by its list position', () => {
    const params = [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: 3 as unknown as string }];
    expect(() => validateBatch({ params })).toThrow(expect.objectContaining({ field: 'params[2].value', problem: 'param "c" value must be a string, received number' }));
    expect(() => validateBatch({ tags: [{ key: 't', value: 5 as unknown as string }] })).toThrow(expect.objectContaining({ field: 'tags[0].value' }));
    expect(() => validateBatch({ params: [{ key: 'p', value: '1' }, { key: 'p', value: '1' }] })).toThrow(
      expect.objectContaining({ field: 'params[1].key', problem: 'param "p" appears twice in one batch (params[0] and params[1])' }),
    );
  });

  it('cuts a param value over 6000 and a tag value over 8000 characters to the limit and lists each one, as MLflow does', () => {
    const checked = validateBatch({ params: [{ key: 'ok', value: 'x'.repeat(6000) }, { key: 'long', value: 'y'.repeat(6001) }], tags: [{ key: 't', value: 'z'.repeat(8005) }] });
    expect(checked.params.map((param) => param.value.length)).toEqual([6000, 6000]);
    expect(checked.tags[0]?.value).toBe('z'.repeat(8000));
    expect(checked.truncated).toEqual([
      { field: 'params[1].value', key: 'long', length: 6001, limit: 6000 },
      { field: 'tags[0].value', key: 't', length: 8005, limit: 8000 },
    ]);
  });

  it('keeps metric values as MLflow reads them back: ±Infinity as ±Number.MAX_VALUE, -0 as 0, NaN as NaN', () => {
    const values = validateBatch({ metrics: [Infinity, -Infinity, -0, Number.NaN, 1.5].map((value) => ({ key: 'm', value, timestamp: 1, step: 0 })) }).metrics.map((metric) => metric.value);
    expect(values).toEqual([Number.MAX_VALUE, -Number.MAX_VALUE, 0, Number.NaN, 1.5]);
    expect(Object.is(values[2], 0)).toBe(true);
  });

  it('names the limit a batch exceeds, before looking at any item', () => {
    const metrics = Array.from({ length: 1001 }, () => ({ key: '*bad*', value: 1 }));
    expect(() => validateBatch({ metrics })).toThrow(expect.objectContaining({ problem: 'a batch holds 1001 metrics; the limit is 1000', hint: expect.stringContaining('Split') }));
  });

  it('refuses lists that are not lists', () => {
    expect(() => validateBatch({ metrics: {} as never })).toThrow(expect.objectContaining({ field: 'metrics' }));
  });
});

describe('validateRunId', () => {
  it("accepts MLflow's run id form and refuses others", () => {
    expect(() => validateRunId('0123456789abcdef0123456789abcdef')).not.toThrow();
    for (const bad of ['', '-abc', 'a b', 42]) expect(() => validateRunId(bad)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'runId' }));
  });
});
