import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, SearchError } from './index.ts';

describe('page tokens', () => {
  it('round-trips an offset for the same query', () => {
    const token = encodePageToken(1000, 'exp=0|filter=|order=');
    expect(typeof token).toBe('string');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, 'exp=0|filter=|order=')).toBe(1000);
    expect(decodePageToken(encodePageToken(0, 'q'), 'q')).toBe(0);
  });

  it('reads an absent or empty token as the first page', () => {
    expect(decodePageToken(undefined, 'q')).toBe(0);
    expect(decodePageToken(null, 'q')).toBe(0);
    expect(decodePageToken('', 'q')).toBe(0);
  });

  it('rejects a token made for another query with INVALID_PARAMETER_VALUE', () => {
    const token = encodePageToken(50, "filter=metrics.acc > 1");
    expect(() => decodePageToken(token, "filter=metrics.acc > 2")).toThrow(SearchError);
    try {
      decodePageToken(token, 'other');
    } catch (error) {
      expect((error as SearchError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((error as SearchError).problem).toContain('Invalid page token');
      expect((error as SearchError).problem).toContain('different query');
      expect((error as SearchError).field).toBe('pageToken');
    }
  });

  it('rejects garbage, MLflow-style and tampered tokens', () => {
    for (const token of ['not a token!', 'abc', btoa('{"offset": 5}'), btoa('{"v":1,"o":-1,"q":"00000000"}'), btoa('[]'), btoa('null')]) {
      expect(() => decodePageToken(token, 'q'), token).toThrow(/Invalid page token/);
    }
  });

  it('refuses to encode a negative or fractional offset', () => {
    expect(() => encodePageToken(-1, 'q')).toThrow(SearchError);
    expect(() => encodePageToken(1.5, 'q')).toThrow(SearchError);
  });
});
