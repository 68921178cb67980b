import { describe, expect, it } from 'vitest';
import { parseIdbUri } from './parse-idb-uri.ts';

describe('parseIdbUri', () => {
  it('takes the database from the authority and the path after it', () => {
    expect(parseIdbUri('idb://db/0/run/artifacts')).toEqual({ database: 'db', path: '0/run/artifacts', uri: 'idb://db/0/run/artifacts' });
    expect(parseIdbUri('idb://db')).toMatchObject({ database: 'db', path: '' });
    expect(parseIdbUri('idb:///a//b/')).toMatchObject({ database: 'plugboard', path: 'a/b' });
    expect(parseIdbUri('idb:')).toMatchObject({ database: 'plugboard', path: '' });
  });

  it('refuses a long URI with a query in linear time', { timeout: 3000 }, () => {
    // Two groups that could take the same characters made this take seconds before the match failed.
    const started = performance.now();
    expect(() => parseIdbUri(`idb://${'a'.repeat(200_000)}?`)).toThrow(/is not an idb: URI/);
    expect(() => parseIdbUri(`idb://db/${'a'.repeat(200_000)}#`)).toThrow(/is not an idb: URI/);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
