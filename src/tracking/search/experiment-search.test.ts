import { describe, expect, it } from 'vitest';
import { compileExperimentOrderBy, parseExperimentFilter, SearchError } from './index.ts';
import type { SearchableExperiment } from './searchable.ts';

const experiments: SearchableExperiment[] = [
  { experimentId: '0', name: 'Default', creationTime: 10, lastUpdateTime: 10, tags: [] },
  { experimentId: '2', name: 'exp-nlp', creationTime: 20, lastUpdateTime: 50, tags: [{ key: 'team', value: 'nlp' }] },
  { experimentId: '10', name: 'exp-vision', creationTime: 30, lastUpdateTime: 50, tags: [{ key: 'team', value: 'vision' }, { key: 'my key', value: 'v' }] },
  { experimentId: '3', name: 'Other', creationTime: 40 },
];
const ids = (list: SearchableExperiment[]) => list.map((experiment) => experiment.experimentId);
const match = (filter: string) => ids(experiments.filter(parseExperimentFilter(filter)));
const order = (orderBy?: string[]) => ids([...experiments].sort(compileExperimentOrderBy(orderBy)));

describe('parseExperimentFilter', () => {
  it('matches every experiment for an empty filter', () => {
    expect(match('')).toEqual(['0', '2', '10', '3']);
  });

  it('filters on name with = != LIKE and ILIKE', () => {
    expect(match("name = 'Default'")).toEqual(['0']);
    expect(match("name != 'Default'")).toEqual(['2', '10', '3']);
    expect(match("name LIKE 'exp-%'")).toEqual(['2', '10']);
    expect(match("name ILIKE 'o%'")).toEqual(['3']);
    expect(match("attribute.name LIKE '%t%'")).toEqual(['0', '3']);
  });

  it('filters on creation_time and last_update_time numerically, skipping experiments without them', () => {
    expect(match('creation_time >= 30')).toEqual(['10', '3']);
    expect(match('last_update_time = 50')).toEqual(['2', '10']);
    expect(match('last_update_time < 100')).toEqual(['0', '2', '10']);
  });

  it('filters on tags, never matching experiments without the tag', () => {
    expect(match("tags.team = 'nlp'")).toEqual(['2']);
    expect(match("tags.team != 'nlp'")).toEqual(['10']);
    expect(match("tags.`my key` = 'v' AND name LIKE 'exp%'")).toEqual(['10']);
  });

  it('filters on experiment_id with = != IN and NOT IN, reading quoted ids as whole numbers', () => {
    expect(match("experiment_id = '2'")).toEqual(['2']);
    expect(match("attribute.experiment_id != '2'")).toEqual(['0', '10', '3']);
    expect(match("experiment_id IN ('10', '3', '99')")).toEqual(['10', '3']);
    expect(match("experiment_id NOT IN ('10', '3')")).toEqual(['0', '2']);
    expect(match("experiment_id = '010'")).toEqual(['10']);
    expect(match("experiment_id = ' +1_0 '")).toEqual(['10']);
    expect(match("experiment_id = \"0\" AND name = 'Default'")).toEqual(['0']);
  });

  it('tests experiment tags for presence with IS NULL and IS NOT NULL', () => {
    expect(match('tags.team IS NOT NULL')).toEqual(['2', '10']);
    expect(match('tags.team IS NULL')).toEqual(['0', '3']);
  });

  it('refuses experiment_id values that are not quoted whole numbers, other comparators, and IS NULL on attributes', () => {
    const cases: [string, RegExp][] = [
      ["experiment_id = 'abc'", /"abc" is not an experiment ID/],
      ["experiment_id IN ('1', '1.0')", /"1.0" is not an experiment ID/],
      ["experiment_id = ''", /"" is not an experiment ID/],
      ['experiment_id = 1', /needs a quoted value/],
      ["experiment_id LIKE '1%'", /LIKE cannot compare "experiment_id"/],
      ["experiment_id > '1'", /> cannot compare "experiment_id"/],
      ["name IN ('Default')", /IN cannot compare "name"/],
      ['name IS NULL', /only supported for tags/],
      ['experiment_id IS NOT NULL', /only supported for tags/],
      ["tags.team IN ('nlp')", /IN cannot compare "tags.team"/],
    ];
    for (const [filter, message] of cases) {
      expect(() => parseExperimentFilter(filter), filter).toThrow(SearchError);
      expect(() => parseExperimentFilter(filter), filter).toThrow(message);
    }
  });

  it('rejects metrics, unknown attributes, wrong value types and OR with columns', () => {
    const cases: [string, number][] = [
      ['metrics.acc > 1', 1],
      ["colour = 'red'", 1],
      ["creation_time > '5'", 17],
      ['name = 5', 8],
      ["name > 'a'", 6],
      ["name = 'a' OR name = 'b'", 12],
    ];
    for (const [filter, column] of cases) {
      try {
        parseExperimentFilter(filter);
        throw new Error(`accepted ${filter}`);
      } catch (error) {
        expect(error, filter).toBeInstanceOf(SearchError);
        expect((error as SearchError).column, filter).toBe(column);
        expect((error as SearchError).code).toBe('INVALID_PARAMETER_VALUE');
      }
    }
  });
});

describe('compileExperimentOrderBy', () => {
  it('orders by creation_time DESC, then experiment_id ASC by default, as the SQL store of MLflow does', () => {
    expect(order()).toEqual(['3', '10', '2', '0']);
    const twins: SearchableExperiment[] = [{ experimentId: '7', name: 'b', creationTime: 5 }, { experimentId: '12', name: 'a', creationTime: 5 }];
    expect(ids([...twins].sort(compileExperimentOrderBy([])))).toEqual(['7', '12']);
  });

  it('breaks ties of a given order by experiment id DESC', () => {
    expect(order(['last_update_time DESC'])).toEqual(['10', '2', '0', '3']);
  });

  it('orders by name, creation_time and experiment_id (numerically) in either direction', () => {
    expect(order(['name'])).toEqual(['0', '3', '2', '10']);
    expect(order(['creation_time DESC'])).toEqual(['3', '10', '2', '0']);
    expect(order(['experiment_id'])).toEqual(['0', '2', '3', '10']);
    expect(order(['experiment_id DESC'])).toEqual(['10', '3', '2', '0']);
    expect(order(['last_update_time ASC'])).toEqual(['0', '10', '2', '3']);
  });

  it('rejects tags and unknown keys as order keys', () => {
    expect(() => compileExperimentOrderBy(['tags.team'])).toThrow(/cannot be ordered by tags/);
    expect(() => compileExperimentOrderBy(['colour DESC'])).toThrow(SearchError);
  });
});
