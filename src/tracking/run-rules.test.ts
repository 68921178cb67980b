import { describe, expect, it } from 'vitest';
import { applyBatch, generateRunName, isNewerMetric, orderHistory, resolveRunName, type RunInfo } from './index.ts';

const point = (value: number, step = 0, timestamp = 0) => ({ key: 'm', value, step, timestamp });
const info: RunInfo = {
  runId: 'r', runName: 'old', experimentId: '0', userId: '', status: 'RUNNING', startTime: 0, endTime: null, lifecycleStage: 'active', artifactUri: '',
};

describe('isNewerMetric', () => {
  it('compares NaN as 0 and ±Infinity as ±max double, as MLflow stores them', () => {
    expect(isNewerMetric(point(Number.NaN), point(-1))).toBe(true);
    expect(isNewerMetric(point(Number.NaN), point(0))).toBe(false);
    expect(isNewerMetric(point(0.5), point(Number.NaN))).toBe(true);
    expect(isNewerMetric(point(Infinity), point(1.7976931348623157e308))).toBe(false);
    expect(isNewerMetric(point(-Infinity), point(-5))).toBe(false);
  });

  it('looks at step before timestamp before value', () => {
    expect(isNewerMetric(point(0, 2, 0), point(9, 1, 9))).toBe(true);
    expect(isNewerMetric(point(0, 1, 2), point(9, 1, 1))).toBe(true);
    expect(isNewerMetric(point(1, 1, 1), point(1, 1, 1))).toBe(false);
  });
});

describe('orderHistory', () => {
  it('sorts by timestamp, step, then value with NaN as 0 (after a real 0), as MLflow does, and keeps each point once', () => {
    const sorted = orderHistory([point(Number.NaN, 1), point(2, 1), point(2, 1), point(1, 0, 5), point(3, 0, 1), point(Number.NaN, 1), point(0, 1), point(-1, 1)]);
    expect(sorted.map((item) => [item.step, item.timestamp, item.value])).toEqual([
      [1, 0, -1], [1, 0, 0], [1, 0, Number.NaN], [1, 0, 2], [0, 1, 3], [0, 5, 1],
    ]);
  });
});

describe('applyBatch', () => {
  it('leaves its inputs untouched and renames the run through the mlflow.runName tag', () => {
    const data = { metrics: [], params: [{ key: 'p', value: '1' }], tags: [{ key: 'mlflow.runName', value: 'old' }] };
    const frozen = JSON.stringify(data);
    const next = applyBatch('r', info, data, { metrics: [point(1)], params: [{ key: 'p', value: '1' }], tags: [{ key: 'mlflow.runName', value: 'new' }] });
    expect(JSON.stringify(data)).toBe(frozen);
    expect(next.info.runName).toBe('new');
    expect(next.data.metrics).toEqual([point(1)]);
  });

  it('refuses a changed param with the field of the offending item', () => {
    const data = { metrics: [], params: [{ key: 'p', value: '1' }], tags: [] };
    expect(() => applyBatch('r', info, data, { metrics: [], params: [{ key: 'q', value: '0' }, { key: 'p', value: '2' }], tags: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'params[1].value', problem: expect.stringContaining("Changing param values is not allowed. Param with key='p'") }),
    );
  });
});

describe('run names', () => {
  it('generates adjective-noun-NNN names', () => {
    expect(generateRunName(() => 0)).toBe('amber-badger-0');
    expect(generateRunName(() => 0.9999)).toMatch(/^[a-z]+-[a-z]+-999$/);
  });

  it('takes the name from the tag, refuses a conflict, and always writes the tag', () => {
    expect(resolveRunName(undefined, [{ key: 'mlflow.runName', value: 'tagged' }], () => 'gen')).toEqual({ runName: 'tagged', tags: [{ key: 'mlflow.runName', value: 'tagged' }] });
    expect(resolveRunName('', [{ key: 'a', value: '1' }], () => 'gen')).toEqual({ runName: 'gen', tags: [{ key: 'a', value: '1' }, { key: 'mlflow.runName', value: 'gen' }] });
    expect(() => resolveRunName('x', [{ key: 'mlflow.runName', value: 'y' }], () => 'gen')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'runName' }));
  });
});
