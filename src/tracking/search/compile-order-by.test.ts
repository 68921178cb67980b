import { describe, expect, it } from 'vitest';
import { TrackingError } from '../../store-kit/index.ts';
import { compileOrderBy, compileRunSort, SearchError } from './index.ts';
import { makeRun } from './run-fixtures.test-helpers.ts';
import type { SearchableRun } from './searchable.ts';

const order = (runs: SearchableRun[], orderBy?: string[]) => [...runs].sort(compileOrderBy(orderBy)).map((run) => run.info.runId);

function failure(orderBy: string[]): SearchError {
  try {
    compileOrderBy(orderBy);
  } catch (error) {
    expect(error).toBeInstanceOf(SearchError);
    return error as SearchError;
  }
  throw new Error(`expected ${JSON.stringify(orderBy)} to be rejected`);
}

const metricRuns = [
  makeRun({ id: 'nan', metrics: { x: Number.NaN } }),
  makeRun({ id: 'none' }),
  makeRun({ id: 'big', metrics: { x: Number.POSITIVE_INFINITY } }),
  makeRun({ id: 'one', metrics: { x: 1 } }),
  makeRun({ id: 'small', metrics: { x: Number.NEGATIVE_INFINITY } }),
  makeRun({ id: 'zero', metrics: { x: 0 } }),
];

describe('compileOrderBy', () => {
  it('orders by start_time DESC, then run_id, when no order is given', () => {
    const runs = [makeRun({ id: 'b', start: 1 }), makeRun({ id: 'c', start: 2 }), makeRun({ id: 'a', start: 1 })];
    expect(order(runs)).toEqual(['c', 'a', 'b']);
    expect(order(runs, [])).toEqual(['c', 'a', 'b']);
  });

  it('puts -inf < numbers < +inf < NaN < missing in ascending order', () => {
    expect(order(metricRuns, ['metrics.x ASC'])).toEqual(['small', 'zero', 'one', 'big', 'nan', 'none']);
    expect(order(metricRuns, ['metrics.x'])).toEqual(['small', 'zero', 'one', 'big', 'nan', 'none']);
  });

  it('puts +inf … -inf, then NaN, then missing in descending order', () => {
    expect(order(metricRuns, ['metrics.x DESC'])).toEqual(['big', 'one', 'zero', 'small', 'nan', 'none']);
  });

  it('orders params and tags as strings with missing values last', () => {
    const runs = [makeRun({ id: 'r1', params: { p: 'b' } }), makeRun({ id: 'r2' }), makeRun({ id: 'r3', params: { p: 'a' } }), makeRun({ id: 'r4', params: { p: 'B' } })];
    expect(order(runs, ['params.p'])).toEqual(['r4', 'r3', 'r1', 'r2']);
    expect(order(runs, ['params.p desc'])).toEqual(['r1', 'r3', 'r4', 'r2']);
    const tagged = [makeRun({ id: 't1', tags: { k: 'z' } }), makeRun({ id: 't2', tags: { k: 'y' } }), makeRun({ id: 't3' })];
    expect(order(tagged, ['tags.k DESC'])).toEqual(['t1', 't2', 't3']);
    expect(order(tagged, ['tag.k'])).toEqual(['t2', 't1', 't3']);
  });

  it('orders by attributes, with created as start_time and missing end times last', () => {
    const runs = [makeRun({ id: 'a', start: 3, end: null, name: 'zeta' }), makeRun({ id: 'b', start: 1, end: 9, name: 'eta' }), makeRun({ id: 'c', start: 2, end: 5, name: 'theta' })];
    expect(order(runs, ['attributes.start_time ASC'])).toEqual(['b', 'c', 'a']);
    expect(order(runs, ['created'])).toEqual(['b', 'c', 'a']);
    expect(order(runs, ['end_time DESC'])).toEqual(['b', 'c', 'a']);
    expect(order(runs, ['end_time'])).toEqual(['c', 'b', 'a']);
    expect(order(runs, ['run_name'])).toEqual(['b', 'c', 'a']);
    expect(order(runs, ['attr.run_id DESC'])).toEqual(['c', 'b', 'a']);
  });

  it('applies several keys in turn and breaks the remaining ties by start_time DESC then run_id', () => {
    const runs = [
      makeRun({ id: 'r1', start: 1, metrics: { acc: 1 }, params: { m: 'a' } }),
      makeRun({ id: 'r2', start: 2, metrics: { acc: 1 }, params: { m: 'b' } }),
      makeRun({ id: 'r3', start: 3, metrics: { acc: 2 }, params: { m: 'a' } }),
      makeRun({ id: 'r4', start: 1, metrics: { acc: 1 }, params: { m: 'a' } }),
    ];
    expect(order(runs, ['params.m', 'metrics.acc DESC'])).toEqual(['r3', 'r1', 'r4', 'r2']);
    expect(order(runs, ['metrics.acc'])).toEqual(['r2', 'r1', 'r4', 'r3']);
  });

  it('reads backquoted keys and ASC/DESC in any case', () => {
    const runs = [makeRun({ id: 'a', metrics: { 'val loss': 2 } }), makeRun({ id: 'b', metrics: { 'val loss': 1 } })];
    expect(order(runs, ['metrics.`val loss` asc'])).toEqual(['b', 'a']);
    expect(order(runs, ['metrics."val loss" Desc'])).toEqual(['a', 'b']);
  });

  it('rejects a direction other than ASC or DESC at its column, naming the entry', () => {
    const error = failure(['metrics.acc', 'metrics.loss DOWN']);
    expect(error).toBeInstanceOf(TrackingError);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.field).toBe('orderBy[1]');
    expect(error.column).toBe(14);
  });

  it('rejects empty entries, extra words and unknown attributes', () => {
    expect(failure(['']).column).toBe(1);
    expect(failure(['metrics.acc DESC extra']).column).toBe(18);
    const unknown = failure(['attributes.colour']);
    expect(unknown.column).toBe(1);
    expect(unknown.problem).toContain('"colour" is not a run attribute');
    expect(failure(['"run name"']).problem).toContain('is not a run attribute');
  });

  it('sorts with compileRunSort exactly as with compileOrderBy, in place', () => {
    const runs = [...metricRuns, makeRun({ id: 'tie-b', start: 5, metrics: { x: 1 } }), makeRun({ id: 'tie-a', start: 5, metrics: { x: 1 } })];
    for (const orderBy of [['metrics.x DESC'], ['metrics.x'], [], ['params.p', 'run_id DESC']]) {
      const copy = [...runs];
      expect(compileRunSort(orderBy)(copy)).toBe(copy);
      expect(copy.map((run) => run.info.runId)).toEqual(order(runs, orderBy));
    }
    expect(() => compileRunSort(['metrics.x SIDEWAYS'])).toThrow(SearchError);
  });

  it('sorts 10,000 runs by a metric, ties broken by a param, as compileOrderBy orders them', () => {
    // How fast is measured in the benchmark (npm run bench), not here.
    const many = Array.from({ length: 10_000 }, (_, index) =>
      makeRun({ id: `r${index}`, start: index % 7, metrics: { acc: ((index * 7919) % 10_000) / 10_000, loss: 1, f1: 2 }, params: { model: index % 3 ? 'cnn' : 'rnn' } }),
    );
    const orderBy = ['metrics.acc DESC', 'params.model'];
    const copy = [...many].reverse();
    compileRunSort(orderBy)(copy);
    expect(copy[0]!.data.metrics![0]!.value).toBe(0.9999);
    expect(copy.map((run) => run.info.runId)).toEqual(order(many, orderBy));
  });
});
