import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MemoryTrackingStore } from '../../examples/memory-store/memory-store.ts';
import { checkHistoryInterval, readSampledHistories, sampleHistory } from './history-interval.ts';
import { IdbTrackingStore } from './idb-tracking-store.ts';
import type { Metric } from './types.ts';

const T0 = 1000;
// 26 points: steps 0–22 (value 1.5·step at T0 + step), two more at step 5 (NaN and 0, earlier), one more at step 3 (later).
const longHistory: Metric[] = [
  ...Array.from({ length: 23 }, (_, step) => ({ key: 'm', value: step * 1.5, timestamp: T0 + step, step })),
  { key: 'm', value: Number.NaN, timestamp: T0 - 1, step: 5 },
  { key: 'm', value: 0, timestamp: T0 - 1, step: 5 },
  { key: 'm', value: 7, timestamp: T0 + 1000, step: 3 },
];
const shape = (points: Metric[]) => points.map((point) => [point.step, point.timestamp, point.value]);

describe('sampleHistory', () => {
  // Expected samples are what MLflow 3.17.2's server answered for the same points.
  it('keeps the first point of each of maxResults NTILE buckets in step order, the last point replacing the last sample', () => {
    expect(shape(sampleHistory(longHistory, 5))).toEqual([[0, 1000, 0], [5, 999, 0], [8, 1008, 12], [13, 1013, 19.5], [22, 1022, 33]]);
    expect(shape(sampleHistory(longHistory, 4))).toEqual([[0, 1000, 0], [5, 999, Number.NaN], [11, 1011, 16.5], [22, 1022, 33]]);
  });

  it('answers only the last point for maxResults 1 and every point when there are no more than maxResults', () => {
    expect(shape(sampleHistory(longHistory, 1))).toEqual([[22, 1022, 33]]);
    expect(sampleHistory(longHistory, 26)).toHaveLength(26);
    expect(shape(sampleHistory(longHistory, 26)).slice(3, 9)).toEqual([[3, 1003, 4.5], [3, 2000, 7], [4, 1004, 6], [5, 999, 0], [5, 999, Number.NaN], [5, 1005, 7.5]]);
  });

  it('samples inside an inclusive step range only', () => {
    expect(shape(sampleHistory(longHistory, 6, { start: 4, end: 10 }))).toEqual([[4, 1004, 6], [5, 999, Number.NaN], [6, 1006, 9], [8, 1008, 12], [9, 1009, 13.5], [10, 1010, 15]]);
    expect(sampleHistory(longHistory, 6, { start: -5, end: -1 })).toEqual([]);
  });

  it('samples many points of one step by position, not by step', () => {
    const flat = [...Array.from({ length: 10 }, (_, value) => ({ key: 'm', value, timestamp: 5000, step: 0 })), { key: 'm', value: Number.MAX_VALUE, timestamp: 6000, step: 100 }];
    expect(sampleHistory(flat, 4).map((point) => point.value)).toEqual([0, 3, 6, Number.MAX_VALUE]);
  });
});

describe('checkHistoryInterval', () => {
  it('refuses what MLflow\'s handler refuses, naming the field', () => {
    const cases: [object, string, RegExp][] = [
      [{ runIds: [], metricKey: 'm' }, 'runIds', /required parameter 'run_ids'/],
      [{ runIds: Array.from({ length: 101 }, () => 'r'), metricKey: 'm' }, 'runIds', /at most 100 run_ids\. Received 101/],
      [{ runIds: ['r'] }, 'metricKey', /metric key/],
      [{ runIds: ['r'], metricKey: 'm', maxResults: 0 }, 'maxResults', /between 1 and 2500/],
      [{ runIds: ['r'], metricKey: 'm', maxResults: 2.5 }, 'maxResults', /between 1 and 2500/],
      [{ runIds: ['r'], metricKey: 'm', startStep: 4 }, 'endStep', /both must be specified/],
      [{ runIds: ['r'], metricKey: 'm', startStep: 4, endStep: 3 }, 'endStep', /start_step=4 and end_step=3/],
    ];
    for (const [input, field, message] of cases) {
      expect(() => checkHistoryInterval(input as never), JSON.stringify(input).slice(0, 60)).toThrow(message);
      try {
        checkHistoryInterval(input as never);
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field });
      }
    }
    expect(checkHistoryInterval({ runIds: ['r'], metricKey: 'm' })).toEqual({ runIds: ['r'], metricKey: 'm', maxResults: 2500, range: null });
  });
});

describe('readSampledHistories', () => {
  it('reads more than 100 runs in requests of 100 from a store with the bulk read, grouped by run', async () => {
    const store = new IdbTrackingStore(`history-interval-${process.pid}-${Date.now()}`);
    const runIds: string[] = [];
    for (let index = 0; index < 101; index += 1) {
      const run = await store.createRun({ experimentId: '0', startTime: 1 });
      runIds.push(run.info.runId);
      await store.logBatch(run.info.runId, { metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: index + step, timestamp: 1, step })) });
    }
    const requests: number[] = [];
    const bulk = store.getMetricHistoryBulkInterval.bind(store);
    store.getMetricHistoryBulkInterval = (input) => {
      requests.push(input.runIds.length);
      return bulk(input);
    };
    const histories = await readSampledHistories(store, runIds, 'loss', { maxResults: 2 });
    expect(requests).toEqual([100, 1]);
    expect(histories.get(runIds[100]!)!.map((point) => [point.step, point.value])).toEqual([[0, 100], [2, 102]]);
  });

  it('samples getMetricHistory for a store without the bulk read, an unlogged run mapping to no points', async () => {
    const store = new MemoryTrackingStore();
    Object.defineProperty(store, 'getMetricHistoryBulkInterval', { value: undefined });
    const run = await store.createRun({ experimentId: '0', startTime: 1 });
    const other = await store.createRun({ experimentId: '0', startTime: 1 });
    await store.logBatch(run.info.runId, { metrics: longHistory });
    const histories = await readSampledHistories(store, [run.info.runId, other.info.runId], 'm', { maxResults: 5 });
    expect(shape(histories.get(run.info.runId)!)).toEqual(shape(sampleHistory(longHistory, 5)));
    expect(histories.get(other.info.runId)).toEqual([]);
  });
});
