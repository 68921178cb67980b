import { describe, expect, it } from 'vitest';
import { SearchError } from '../store-kit/index.ts';
import { compileModelVersionFilter, compileModelVersionOrderBy, compileRegisteredModelFilter, compileRegisteredModelOrderBy, type SearchableVersion } from './index.ts';

const version = (name: string, number: number, updated: number, runId = '', tags: Record<string, string> = {}): SearchableVersion => ({
  name,
  version: number,
  creationTimestamp: number,
  lastUpdatedTimestamp: updated,
  source: `s3://${name}/${number}`,
  runId,
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});
const versions = [version('b', 1, 10, 'r1'), version('a', 2, 30, 'r2', { ok: 'yes' }), version('a', 1, 30), version('b', 2, 20, 'r1')];
const ids = (list: SearchableVersion[]) => list.map((item) => `${item.name}/${item.version}`);

function failure(run: () => unknown): SearchError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SearchError);
    return error as SearchError;
  }
  throw new Error('expected a SearchError');
}

describe('registry search', () => {
  it('orders versions by last update DESC, then name ASC, then version DESC by default', () => {
    expect(ids([...versions].sort(compileModelVersionOrderBy(undefined)))).toEqual(['a/2', 'a/1', 'b/2', 'b/1']);
    expect(ids([...versions].sort(compileModelVersionOrderBy(['version_number'])))).toEqual(['a/1', 'b/1', 'a/2', 'b/2']);
  });

  it("filters versions on version_number numerically, source_path, run_id and tags, an absent run id being '' as on MLflow's server", () => {
    expect(ids(versions.filter(compileModelVersionFilter('version_number >= 2')))).toEqual(['a/2', 'b/2']);
    expect(ids(versions.filter(compileModelVersionFilter("source_path LIKE 's3://b/%'")))).toEqual(['b/1', 'b/2']);
    expect(ids(versions.filter(compileModelVersionFilter("run_id != 'r1'")))).toEqual(['a/2', 'a/1']);
    expect(ids(versions.filter(compileModelVersionFilter("run_id NOT IN ('r2')")))).toEqual(['b/1', 'a/1', 'b/2']);
    expect(ids(versions.filter(compileModelVersionFilter("run_id = ''")))).toEqual(['a/1']);
    expect(ids(versions.filter(compileModelVersionFilter("tags.ok != 'no'")))).toEqual(['a/2']);
  });

  it("takes name IN (…) and NOT IN (…) on registered models and versions, as MLflow's SQL store", () => {
    const models = ['a', 'b', 'c'].map((item) => ({ name: item, creationTimestamp: 1, lastUpdatedTimestamp: 1, tags: [] }));
    expect(models.filter(compileRegisteredModelFilter("name IN ('a', 'c', 'z')")).map((model) => model.name)).toEqual(['a', 'c']);
    expect(models.filter(compileRegisteredModelFilter("name NOT IN ('a')")).map((model) => model.name)).toEqual(['b', 'c']);
    expect(ids(versions.filter(compileModelVersionFilter("name IN ('a') AND version_number = 2")))).toEqual(['a/2']);
    expect(ids(versions.filter(compileModelVersionFilter("name NOT IN ('a')")))).toEqual(['b/1', 'b/2']);
    expect(failure(() => compileModelVersionFilter("source_path IN ('s3://a/1')")).column).toBe(13);
  });

  it('reads version_number as a whole number, quoted or not, and refuses fractions and words at the value', () => {
    expect(ids(versions.filter(compileModelVersionFilter("version_number = '1'")))).toEqual(['b/1', 'a/1']);
    expect(ids(versions.filter(compileModelVersionFilter("version_number > ' 1 '")))).toEqual(['a/2', 'b/2']);
    expect(failure(() => compileModelVersionFilter('version_number = 1.5')).column).toBe(18);
    const word = failure(() => compileModelVersionFilter("version_number = 'x'"));
    expect([word.column, word.problem]).toEqual([18, `filter "version_number = 'x'" is invalid at column 18: "version_number" needs a whole number, found "x"`]);
  });

  it('points filter errors at the failing column', () => {
    expect(failure(() => compileRegisteredModelFilter("name = 'a' AND metrics.x > 1")).column).toBe(16);
    expect(failure(() => compileRegisteredModelFilter('tags.team > 1')).column).toBe(11);
  });

  it('refuses an order that names one field twice, timestamp being last_updated_timestamp', () => {
    const error = failure(() => compileRegisteredModelOrderBy(['last_updated_timestamp DESC', 'timestamp']));
    expect(error.field).toBe('orderBy[1]');
    expect(error.problem).toContain('twice');
    expect(() => compileRegisteredModelOrderBy(['tags.x'])).toThrow(SearchError);
  });

  it('orders registered models by a timestamp with ties by name ASC', () => {
    const models = [
      { name: 'z', creationTimestamp: 1, lastUpdatedTimestamp: 5, tags: [] },
      { name: 'a', creationTimestamp: 2, lastUpdatedTimestamp: 5, tags: [] },
      { name: 'm', creationTimestamp: 3, lastUpdatedTimestamp: 9, tags: [] },
    ];
    expect([...models].sort(compileRegisteredModelOrderBy(['timestamp DESC'])).map((model) => model.name)).toEqual(['m', 'a', 'z']);
    expect([...models].sort(compileRegisteredModelOrderBy(['creation_timestamp'])).map((model) => model.name)).toEqual(['z', 'a', 'm']);
  });
});
