import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Experiment, Run } from '../types.ts';
import { parseRunFilter, SearchError, type SearchableExperiment, type SearchableRun } from './index.ts';
import { idsMatching, makeRun } from './run-fixtures.test-helpers.ts';

const runs = [
  makeRun({ id: 'a1', name: 'alpha', status: 'FINISHED', start: 100, user: 'ann', metrics: { acc: 0.9, loss: 0.3, 'val loss': 0.5 }, params: { model: 'cnn', lr: '0.01' }, tags: { team: 'nlp', 'my key': 'x' } }),
  makeRun({ id: 'b2', name: 'beta', status: 'FAILED', start: 200, end: null, metrics: { acc: 0.5, loss: Number.NaN }, params: { model: 'CNN', lr: '0.1' }, tags: { team: 'vision' } }),
  makeRun({ id: 'c3', name: 'gamma', status: 'RUNNING', start: 300, metrics: { acc: Number.POSITIVE_INFINITY }, params: { model: 'rnn-other' } }),
  makeRun({ id: 'd4', status: 'KILLED', start: 400, metrics: {}, params: { model: 'other', note: 'a.c' }, tags: { team: 'nlp' } }),
];

const match = (filter: string) => idsMatching(runs, parseRunFilter(filter));

/** Runs `filter` expecting a SearchError and returns it. */
function failure(filter: string): SearchError {
  try {
    parseRunFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(SearchError);
    return error as SearchError;
  }
  throw new Error(`expected "${filter}" to be rejected`);
}

describe('parseRunFilter', () => {
  it('accepts the tracking store\'s Run and Experiment types', () => {
    expectTypeOf<Run>().toExtend<SearchableRun>();
    expectTypeOf<Experiment>().toExtend<SearchableExperiment>();
    expect(parseRunFilter("status = 'FINISHED'")(runs[0]!)).toBe(true);
  });

  it('matches every run when the filter is empty, blank or absent', () => {
    expect(match('')).toEqual(['a1', 'b2', 'c3', 'd4']);
    expect(match('   ')).toEqual(['a1', 'b2', 'c3', 'd4']);
    expect(idsMatching(runs, parseRunFilter(undefined))).toEqual(['a1', 'b2', 'c3', 'd4']);
  });

  it('compares metrics with the six numeric comparators', () => {
    expect(match('metrics.acc > 0.5')).toEqual(['a1', 'c3']);
    expect(match('metrics.acc >= 0.5')).toEqual(['a1', 'b2', 'c3']);
    expect(match('metrics.acc < 0.9')).toEqual(['b2']);
    expect(match('metrics.acc <= 0.9')).toEqual(['a1', 'b2']);
    expect(match('metrics.acc = 0.9')).toEqual(['a1']);
    expect(match('metrics.acc != 0.9')).toEqual(['b2', 'c3']);
  });

  it('reads numeric literals with signs, exponents and a leading dot', () => {
    expect(match('metrics.acc > -1')).toEqual(['a1', 'b2', 'c3']);
    expect(match('metrics.acc > 9e-1')).toEqual(['c3']);
    expect(match('metrics.acc < .6')).toEqual(['b2']);
    expect(match('metrics.acc>=+0.9')).toEqual(['a1', 'c3']);
  });

  it('accepts metric and metrics as the metric prefix', () => {
    expect(match('metric.acc > 0.8')).toEqual(match('metrics.acc > 0.8'));
  });

  it('never matches a run lacking the key, even with !=', () => {
    expect(match('metrics.acc != 123')).toEqual(['a1', 'b2', 'c3']);
    expect(match("params.lr != 'zzz'")).toEqual(['a1', 'b2']);
    expect(match("tags.team != 'zzz'")).toEqual(['a1', 'b2', 'd4']);
    expect(match('attributes.end_time > 0')).toEqual(['a1', 'c3', 'd4']);
    expect(match("attributes.user_id != 'bob'")).toEqual(['a1']);
  });

  it('lets NaN fail every metric comparison except !=', () => {
    expect(match('metrics.loss < 100')).toEqual(['a1']);
    expect(match('metrics.loss >= -100')).toEqual(['a1']);
    expect(match('metrics.loss != 0.3')).toEqual(['b2']);
  });

  it('compares params case-sensitively with = and !=', () => {
    expect(match("params.model = 'cnn'")).toEqual(['a1']);
    expect(match("params.model = 'CNN'")).toEqual(['b2']);
    expect(match("params.model != 'cnn'")).toEqual(['b2', 'c3', 'd4']);
  });

  it('anchors LIKE patterns at both ends unless % says otherwise', () => {
    expect(match("params.model LIKE '%other%'")).toEqual(['c3', 'd4']);
    expect(match("params.model LIKE 'other%'")).toEqual(['d4']);
    expect(match("params.model LIKE '%other'")).toEqual(['c3', 'd4']);
    expect(match("params.model LIKE 'cn'")).toEqual([]);
    expect(match("params.model LIKE 'cnn'")).toEqual(['a1']);
  });

  it('makes LIKE case-sensitive and ILIKE case-insensitive', () => {
    expect(match("params.model LIKE 'c%'")).toEqual(['a1']);
    expect(match("params.model ILIKE 'c%'")).toEqual(['a1', 'b2']);
    expect(match("tags.team ILIKE 'NLP'")).toEqual(['a1', 'd4']);
  });

  it('lets _ match exactly one character and keeps every other pattern character literal', () => {
    expect(match("params.model LIKE 'c_n'")).toEqual(['a1']);
    expect(match("params.model LIKE 'c_'")).toEqual([]);
    expect(match("params.note LIKE 'a.c'")).toEqual(['d4']);
    expect(match("params.note LIKE 'a.%'")).toEqual(['d4']);
    expect(match("params.model LIKE 'c.n'")).toEqual([]);
    expect(match("params.model LIKE '.*'")).toEqual([]);
    expect(match("params.model LIKE 'rnn-(other|x)'")).toEqual([]);
  });

  it('accepts every param, tag and attribute prefix MLflow accepts', () => {
    for (const prefix of ['params', 'param', 'parameters', 'parameter']) expect(match(`${prefix}.model = 'cnn'`)).toEqual(['a1']);
    for (const prefix of ['tags', 'tag']) expect(match(`${prefix}.team = 'vision'`)).toEqual(['b2']);
    for (const prefix of ['attributes.', 'attribute.', 'attr.', 'run.', '']) expect(match(`${prefix}status = 'FAILED'`)).toEqual(['b2']);
  });

  it('reads backquoted and double-quoted keys with spaces', () => {
    expect(match("tags.`my key` = 'x'")).toEqual(['a1']);
    expect(match('tags."my key" = \'x\'')).toEqual(['a1']);
    expect(match('metrics.`val loss` < 1')).toEqual(['a1']);
    expect(match("`tags`.team = 'vision'")).toEqual(['b2']);
  });

  it('takes string values in single or double quotes, a doubled quote standing for one', () => {
    expect(match('params.model = "cnn"')).toEqual(['a1']);
    const quoted = [makeRun({ id: 'q', params: { says: "it's" } })];
    expect(idsMatching(quoted, parseRunFilter("params.says = 'it''s'"))).toEqual(['q']);
  });

  it('filters on string and numeric attributes, with their MLflow aliases', () => {
    expect(match("run_name = 'beta'")).toEqual(['b2']);
    expect(match("`Run name` LIKE '%a'")).toEqual(['a1', 'b2', 'c3']);
    expect(match('"run name" = \'gamma\'')).toEqual(['c3']);
    expect(match('attributes.start_time >= 300')).toEqual(['c3', 'd4']);
    expect(match('created < 200')).toEqual(['a1']);
    expect(match("attributes.artifact_uri LIKE '%/b2/artifacts'")).toEqual(['b2']);
    expect(match("attributes.run_id = 'a1'")).toEqual(['a1']);
  });

  it('compares string attributes case-sensitively', () => {
    expect(match("status = 'finished'")).toEqual([]);
    expect(match("status ILIKE 'finished'")).toEqual(['a1']);
  });

  it('supports IN and NOT IN lists for run_id', () => {
    expect(match("attributes.run_id IN ('a1', 'c3')")).toEqual(['a1', 'c3']);
    expect(match("run_id NOT IN ('a1','c3')")).toEqual(['b2', 'd4']);
    expect(match("run_id IN ('b2')")).toEqual(['b2']);
  });

  it('accepts one trailing comma in an IN list, as MLflow reads the list as a Python tuple', () => {
    expect(match("run_id IN ('b2',)")).toEqual(['b2']);
    expect(match("run_id NOT IN ('a1', 'c3',)")).toEqual(['b2', 'd4']);
  });

  it('joins comparisons with AND, in any letter case', () => {
    expect(match("metrics.acc > 0.4 AND params.model ILIKE 'cnn'")).toEqual(['a1', 'b2']);
    expect(match("metrics.acc > 0.4 and params.model like 'cnn' AnD tags.team = 'nlp'")).toEqual(['a1']);
    expect(match("run_id not in ('a1') and status != 'KILLED'")).toEqual(['b2', 'c3']);
  });

  it('accepts unquoted keys holding dots, dashes and slashes', () => {
    const special = [makeRun({ id: 's', metrics: { 'train/loss': 1, 'val-acc': 2, 'layer.0.w': 3 } })];
    expect(idsMatching(special, parseRunFilter('metrics.train/loss = 1 AND metrics.val-acc = 2 AND metrics.layer.0.w = 3'))).toEqual(['s']);
  });

  it('rejects OR with the column where it stands', () => {
    const error = failure("metrics.acc > 0.5 OR params.model = 'cnn'");
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.column).toBe(19);
    expect(error.message).toContain('column 19');
    expect(error.message).toContain('OR is not supported');
    expect(error.field).toBe('filter');
    expect(error.hint).toMatch(/AND/);
  });

  it('rejects parentheses used for grouping at their column', () => {
    expect(failure('(metrics.acc > 0.5)').column).toBe(1);
    expect(failure("metrics.acc > 0.5 AND (params.x = 'a')").column).toBe(23);
  });

  it('rejects a comparison without a comparator at the token that should have been one', () => {
    const error = failure("params.model 'cnn'");
    expect(error.column).toBe(14);
    expect(error.problem).toContain('expected a comparator after "params.model"');
  });

  it('rejects an unclosed quote at the column of the quote', () => {
    const error = failure("params.model = 'cnn");
    expect(error.column).toBe(16);
    expect(error.problem).toContain('never closed');
  });

  it('rejects a quoted value for a metric at the value column', () => {
    const error = failure("metrics.acc > '0.5'");
    expect(error.column).toBe(15);
    expect(error.problem).toContain('needs a numeric value');
  });

  it('rejects an unquoted value for a param or tag at the value column', () => {
    expect(failure('params.lr = 0.01').column).toBe(13);
    expect(failure('tags.team = nlp').column).toBe(13);
  });

  it('rejects a comparator the key type does not support, at the comparator', () => {
    expect(failure("metrics.acc LIKE '0.5'").column).toBe(13);
    expect(failure("params.lr > '0.01'").column).toBe(11);
    expect(failure('start_time LIKE 5').column).toBe(12);
    expect(failure("params.lr IN ('a')").column).toBe(11);
  });

  it('rejects IN on attributes other than run_id', () => {
    const error = failure("status IN ('FINISHED')");
    expect(error.column).toBe(8);
    expect(error.problem).toContain('only the run_id attribute');
  });

  it('rejects unknown entity types and attributes, listing the valid ones', () => {
    const entity = failure('metricz.acc > 1');
    expect(entity.column).toBe(1);
    expect(entity.hint).toContain('metrics.<key>');
    const attribute = failure("colour = 'red'");
    expect(attribute.column).toBe(1);
    expect(attribute.hint).toContain('start_time');
    expect(failure("metrics.acc > 1 AND attributes.lifecycle_stage = 'active'").column).toBe(21);
  });

  it('rejects dataset identifiers with a clear message', () => {
    expect(failure("dataset.name = 'x'").problem).toContain('dataset identifiers');
  });

  it('rejects a trailing AND at the end of the text', () => {
    const filter = 'metrics.acc > 1 AND';
    const error = failure(filter);
    expect(error.column).toBe(filter.length + 1);
    expect(error.problem).toContain('expected a comparison after AND');
  });

  it('rejects two comparisons not joined by AND', () => {
    expect(failure("metrics.acc > 1 params.x = 'a'").column).toBe(17);
  });

  it('rejects <>, == and stray characters at their column', () => {
    expect(failure("params.x <> 'a'").column).toBe(10);
    expect(failure("params.x == 'a'").column).toBe(10);
    expect(failure("params.x = 'a'; DROP").column).toBe(15);
  });

  it('rejects malformed IN lists', () => {
    expect(failure('run_id IN ()').column).toBe(12);
    expect(failure("run_id IN ('a' 'b')").column).toBe(16);
    expect(failure("run_id IN 'a'").column).toBe(11);
    expect(failure("run_id NOT ('a')").column).toBe(12);
    expect(failure("run_id IN ('a', 1)").column).toBe(17);
    expect(failure("run_id IN ('a',,)").column).toBe(16);
    expect(failure("run_id IN (,)").column).toBe(12);
  });

  it('rejects a missing value and a missing key after the dot', () => {
    expect(failure('metrics.acc >').column).toBe(14);
    expect(failure('metrics. > 1').column).toBe(9);
  });

  it('filters 10,000 runs with a metrics, params and tags filter, keeping exactly the runs that match', () => {
    // How fast is measured in the benchmark (npm run bench), not here.
    const many = Array.from({ length: 10_000 }, (_, index) =>
      makeRun({ id: `r${index}`, metrics: { acc: (index % 100) / 100, loss: 1 }, params: { model: index % 2 ? 'cnn' : 'rnn', lr: '0.1' }, tags: { team: index % 5 ? 'nlp' : 'cv' } }),
    );
    const kept = many.filter(parseRunFilter("metrics.acc > 0.5 AND params.model = 'cnn' AND tags.team LIKE 'n%'"));
    const expected = many.filter((_, index) => index % 100 > 50 && index % 2 === 1 && index % 5 !== 0);
    expect(kept.map((run) => run.info.runId)).toEqual(expected.map((run) => run.info.runId));
  });

  it('keeps a run search with a hostile LIKE filter fast', { timeout: 2_000 }, () => {
    const runs = Array.from({ length: 20 }, (_, index) => makeRun({ id: `r${index}`, params: { t: 'a'.repeat(6_000) } }));
    const filter = parseRunFilter("params.t LIKE '%a%a%b' AND params.t ILIKE '%A%A%B'");
    const started = performance.now();
    expect(runs.filter(filter)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
