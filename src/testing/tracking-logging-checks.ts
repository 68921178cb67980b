import type { Metric, TrackingStore } from '../tracking/index.ts';
import { assertEqual, assertRejects, assertTrue, toRecord, type Check } from './check.ts';
import { newRun } from './tracking-run-checks.ts';
import { bulkInterval } from './tracking-differential-script.ts';

const check = (name: string, run: (store: TrackingStore) => Promise<void>): Check<TrackingStore> => ({ name, run });
const T0 = 1_700_000_000_000;
const point = (key: string, value: number, step: number, timestamp = T0): Metric => ({ key, value, step, timestamp });
const history = (points: Metric[]): [number, number, number][] => points.map((item) => [item.step, item.timestamp, item.value]);

/** Logging behaviours: params, tags, metrics and their history, batches, limits and key rules. */
export const loggingChecks: readonly Check<TrackingStore>[] = [
  check('keeps a param immutable: the same value again is fine, another value is INVALID_PARAMETER_VALUE', async (store) => {
    const { info } = await newRun(store);
    await store.logParam(info.runId, { key: 'lr', value: '0.01' });
    await store.logParam(info.runId, { key: 'lr', value: '0.01' });
    await assertRejects(store.logParam(info.runId, { key: 'lr', value: '0.02' }), 'INVALID_PARAMETER_VALUE', 'changing a param', 'Changing param values is not allowed');
    assertEqual((await store.getRun(info.runId)).data.params, [{ key: 'lr', value: '0.01' }], 'params');
  }),
  check('stores an empty-string param and refuses a null one', async (store) => {
    const { info } = await newRun(store);
    await store.logParam(info.runId, { key: 'empty', value: '' });
    assertEqual(toRecord((await store.getRun(info.runId)).data.params), { empty: '' }, 'params');
    await assertRejects(store.logParam(info.runId, { key: 'none', value: null as unknown as string }), 'INVALID_PARAMETER_VALUE', 'null param');
  }),
  check('keeps a 6000-character param value and truncates a longer one to 6000, as MLflow does by default', async (store) => {
    const { info } = await newRun(store);
    await store.logParam(info.runId, { key: 'ok', value: 'x'.repeat(6000) });
    await store.logParam(info.runId, { key: 'long', value: `${'x'.repeat(6000)}cut` });
    await store.logParam(info.runId, { key: 'long', value: `${'x'.repeat(6000)}other` });
    const params = toRecord((await store.getRun(info.runId)).data.params);
    assertEqual([params.ok?.length, params.long], [6000, 'x'.repeat(6000)], 'stored params');
  }),
  check('overwrites tags, keeps multi-line values, keeps 8000 characters and truncates longer values to 8000', async (store) => {
    const { info } = await newRun(store);
    await store.setTag(info.runId, { key: 't', value: 'one' });
    await store.setTag(info.runId, { key: 't', value: 'two\nlines' });
    await store.setTag(info.runId, { key: 'max', value: 'y'.repeat(8000) });
    await store.setTag(info.runId, { key: 'over', value: `${'y'.repeat(8000)}cut` });
    await store.logBatch(info.runId, { tags: [{ key: 'batched', value: `${'z'.repeat(8000)}cut` }] });
    const tags = toRecord((await store.getRun(info.runId)).data.tags);
    assertEqual([tags.t, tags.max?.length, tags.over, tags.batched], ['two\nlines', 8000, 'y'.repeat(8000), 'z'.repeat(8000)], 'tags');
  }),
  check('deletes one tag of one run; a missing tag or run is RESOURCE_DOES_NOT_EXIST', async (store) => {
    const a = await newRun(store, { tags: [{ key: 'x', value: '1' }, { key: 'y', value: '2' }] });
    const b = await newRun(store, { tags: [{ key: 'x', value: '1' }] });
    await store.deleteTag(a.info.runId, 'x');
    assertEqual(toRecord((await store.getRun(a.info.runId)).data.tags).x, undefined, 'x is gone from a');
    assertEqual(toRecord((await store.getRun(a.info.runId)).data.tags).y, '2', 'y stays on a');
    assertEqual(toRecord((await store.getRun(b.info.runId)).data.tags).x, '1', 'x stays on b');
    await assertRejects(store.deleteTag(a.info.runId, 'x'), 'RESOURCE_DOES_NOT_EXIST', 'deleting a missing tag');
    await assertRejects(store.deleteTag('0123456789abcdef0123456789abcdef', 'x'), 'RESOURCE_DOES_NOT_EXIST', 'deleting on an unknown run');
  }),
  check('refuses keys with other characters, path tricks or more than 250 characters', async (store) => {
    const { info } = await newRun(store);
    for (const key of ['a*b', 'semi;colon', '..', '../up', '/root', 'a//b', 'a/./b', '.', '', 'k'.repeat(251)]) {
      await assertRejects(store.logParam(info.runId, { key, value: 'v' }), 'INVALID_PARAMETER_VALUE', `param key ${JSON.stringify(key.slice(0, 20))}`);
      await assertRejects(store.setTag(info.runId, { key, value: 'v' }), 'INVALID_PARAMETER_VALUE', `tag key ${JSON.stringify(key.slice(0, 20))}`);
      await assertRejects(store.logMetric(info.runId, { key, value: 1, timestamp: T0, step: 0 }), 'INVALID_PARAMETER_VALUE', `metric key ${JSON.stringify(key.slice(0, 20))}`);
    }
    for (const key of ['train/loss', 'with space', 'a-b_c.d', 'k'.repeat(250)]) await store.logParam(info.runId, { key, value: 'v' });
    assertEqual((await store.getRun(info.runId)).data.params.length, 4, 'valid keys are stored');
  }),
  check('refuses a metric value that is not a number (booleans, null, strings)', async (store) => {
    const { info } = await newRun(store);
    for (const value of [true, null, '1', undefined]) {
      await assertRejects(store.logMetric(info.runId, { key: 'm', value: value as unknown as number, timestamp: T0, step: 0 }), 'INVALID_PARAMETER_VALUE', `value ${String(value)}`);
    }
    await assertRejects(store.logMetric(info.runId, { key: 'm', value: 1, timestamp: -1, step: 0 }), 'INVALID_PARAMETER_VALUE', 'negative timestamp');
    assertEqual((await store.getMetricHistory(info.runId, 'm')).length, 0, 'nothing was logged');
  }),
  check('keeps NaN, reads ±Infinity back as ±Number.MAX_VALUE and -0 as 0, as MLflow\'s SQL store does', async (store) => {
    const { info } = await newRun(store);
    await store.logMetric(info.runId, point('nan', Number.NaN, 0));
    await store.logMetric(info.runId, point('inf', Infinity, 0));
    await store.logMetric(info.runId, point('ninf', -Infinity, 0));
    await store.logBatch(info.runId, { metrics: [point('zero', -0, 0)] });
    const latest = toRecord((await store.getRun(info.runId)).data.metrics.map((metric) => ({ key: metric.key, value: metric.value })));
    assertEqual(latest, { nan: Number.NaN, inf: Number.MAX_VALUE, ninf: -Number.MAX_VALUE, zero: 0 }, 'latest values');
    assertEqual(history(await store.getMetricHistory(info.runId, 'nan')), [[0, T0, Number.NaN]], 'NaN history');
    assertEqual(history(await store.getMetricHistory(info.runId, 'ninf')), [[0, T0, -Number.MAX_VALUE]], '-Infinity history');
    assertEqual(history(await store.getMetricHistory(info.runId, 'zero')), [[0, T0, 0]], '-0 history');
  }),
  check('returns the whole history ordered by timestamp, then step, then value, negative and out-of-order steps included', async (store) => {
    const { info } = await newRun(store);
    const points = [point('loss', 3, 2, T0 + 1), point('loss', 1, -1, T0 + 9), point('loss', 2, 2, T0), point('loss', 5, 0, T0 + 5)];
    for (const item of points) await store.logMetric(info.runId, item);
    await store.logBatch(info.runId, { metrics: [point('loss', 4, 1, T0 + 3), point('other', 9, 0)] });
    assertEqual(
      history(await store.getMetricHistory(info.runId, 'loss')),
      [[2, T0, 2], [2, T0 + 1, 3], [1, T0 + 3, 4], [0, T0 + 5, 5], [-1, T0 + 9, 1]],
      'loss history',
    );
    await store.logBatch(info.runId, { metrics: [point('tie', 3, 1, T0), point('tie', 1, 0, T0), point('tie', 2, 0, T0)] });
    assertEqual(history(await store.getMetricHistory(info.runId, 'tie')), [[0, T0, 1], [0, T0, 2], [1, T0, 3]], 'same timestamp: by step, then value');
    assertEqual(await store.getMetricHistory(info.runId, 'missing'), [], 'history of a key never logged');
    assertEqual(await store.getMetricHistory('0123456789abcdef0123456789abcdef', 'loss'), [], 'history of an unknown run');
  }),
  check("keeps as a run's latest metric the greatest by step, then timestamp, then value", async (store) => {
    const { info } = await newRun(store);
    const latest = async (key: string): Promise<[number, number, number] | undefined> => {
      const found = (await store.getRun(info.runId)).data.metrics.find((metric) => metric.key === key);
      return found ? [found.step, found.timestamp, found.value] : undefined;
    };
    await store.logMetric(info.runId, point('a', 1, 5, T0));
    await store.logMetric(info.runId, point('a', 2, 4, T0 + 100));
    assertEqual(await latest('a'), [5, T0, 1], 'a higher step wins over a later timestamp');
    await store.logMetric(info.runId, point('a', 0, 5, T0 + 1));
    assertEqual(await latest('a'), [5, T0 + 1, 0], 'same step: the later timestamp wins');
    await store.logMetric(info.runId, point('a', 7, 5, T0 + 1));
    await store.logMetric(info.runId, point('a', 3, 5, T0 + 1));
    assertEqual(await latest('a'), [5, T0 + 1, 7], 'same step and timestamp: the greater value wins');
    await store.logBatch(info.runId, { metrics: [point('b', 1, 0), point('b', 2, 3), point('b', 3, 1)] });
    assertEqual(await latest('b'), [3, T0, 2], 'within one batch too');
  }),
  check('stores an exact duplicate point once', async (store) => {
    const { info } = await newRun(store);
    await store.logMetric(info.runId, point('m', 1, 0));
    await store.logMetric(info.runId, point('m', 1, 0));
    await store.logBatch(info.runId, { metrics: [point('m', 1, 0), point('m', 2, 0), point('m', Number.NaN, 1), point('m', Number.NaN, 1)] });
    assertEqual(history(await store.getMetricHistory(info.runId, 'm')), [[0, T0, 1], [0, T0, 2], [1, T0, Number.NaN]], 'history');
  }),
  check('defaults a metric step to 0 and its timestamp to now', async (store) => {
    const { info } = await newRun(store);
    const before = Date.now();
    await store.logMetric(info.runId, { key: 'm', value: 1 });
    const [only] = await store.getMetricHistory(info.runId, 'm');
    assertTrue(only !== undefined && only.step === 0 && only.timestamp >= before - 1000 && only.timestamp <= Date.now() + 1000, `defaults (received ${JSON.stringify(only)})`);
  }),
  check('writes a batch all or nothing: one changed param leaves no metric, param or tag behind', async (store) => {
    const { info } = await newRun(store);
    await store.logParam(info.runId, { key: 'fixed', value: 'a' });
    await assertRejects(
      store.logBatch(info.runId, {
        metrics: [point('m', 1, 0)],
        params: [{ key: 'fresh', value: '1' }, { key: 'fixed', value: 'b' }],
        tags: [{ key: 't', value: 'v' }],
      }),
      'INVALID_PARAMETER_VALUE',
      'batch with a changed param',
    );
    const run = await store.getRun(info.runId);
    assertEqual([run.data.metrics, toRecord(run.data.params), toRecord(run.data.tags).t], [[], { fixed: 'a' }, undefined], 'run after the failed batch');
    assertEqual(await store.getMetricHistory(info.runId, 'm'), [], 'history after the failed batch');
  }),
  check('refuses an invalid item anywhere in a batch, naming it, and writes nothing', async (store) => {
    const { info } = await newRun(store);
    const error = await assertRejects(
      store.logBatch(info.runId, { metrics: [point('ok', 1, 0), point('bad key*', 1, 0)], tags: [{ key: 't', value: 'v' }] }),
      'INVALID_PARAMETER_VALUE',
      'batch with a bad metric key',
    );
    assertTrue(String(error.message).includes('bad key*'), `the message names the key (received ${error.message})`);
    assertEqual(await store.getMetricHistory(info.runId, 'ok'), [], 'the valid metric was not written');
  }),
  check('refuses batches over the limits (1000 metrics, 100 params, 100 tags, 1000 items) before writing', async (store) => {
    const { info } = await newRun(store);
    const metrics = (count: number): Metric[] => Array.from({ length: count }, (_, step) => point('m', step, step));
    const pairs = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => ({ key: `${prefix}${index}`, value: 'v' }));
    await assertRejects(store.logBatch(info.runId, { metrics: metrics(1001) }), 'INVALID_PARAMETER_VALUE', '1001 metrics');
    await assertRejects(store.logBatch(info.runId, { params: pairs(101, 'p') }), 'INVALID_PARAMETER_VALUE', '101 params');
    await assertRejects(store.logBatch(info.runId, { tags: pairs(101, 't') }), 'INVALID_PARAMETER_VALUE', '101 tags');
    await assertRejects(store.logBatch(info.runId, { metrics: metrics(950), params: pairs(51, 'p') }), 'INVALID_PARAMETER_VALUE', '1001 items');
    const run = await store.getRun(info.runId);
    assertEqual([run.data.metrics.length, run.data.params.length], [0, 0], 'nothing was written');
    await store.logBatch(info.runId, { metrics: metrics(900), params: pairs(100, 'p') });
    assertEqual((await store.getMetricHistory(info.runId, 'm')).length, 900, 'a batch at the limits is written');
  }),
  check('refuses a batch that names one param key twice, even with the same value', async (store) => {
    const { info } = await newRun(store);
    await assertRejects(
      store.logBatch(info.runId, { params: [{ key: 'p', value: '1' }, { key: 'p', value: '1' }] }),
      'INVALID_PARAMETER_VALUE',
      'duplicate param key',
    );
  }),
  check('keeps the last occurrence of a tag key within one batch', async (store) => {
    const { info } = await newRun(store);
    await store.logBatch(info.runId, { tags: [{ key: 't', value: 'first' }, { key: 't', value: 'last' }] });
    assertEqual(toRecord((await store.getRun(info.runId)).data.tags).t, 'last', 'tag t');
  }),
  check('loses no point when many writes to one run race', async (store) => {
    const { info } = await newRun(store);
    await Promise.all(
      Array.from({ length: 30 }, (_, step) =>
        step % 3 === 0
          ? store.logBatch(info.runId, { metrics: [point('m', step, step), point('n', step, step)] })
          : store.logMetric(info.runId, point('m', step, step)),
      ),
    );
    assertEqual((await store.getMetricHistory(info.runId, 'm')).map((item) => item.step), Array.from({ length: 30 }, (_, step) => step), 'steps of m');
    assertEqual((await store.getMetricHistory(info.runId, 'n')).length, 10, 'points of n');
    assertEqual((await store.getRun(info.runId)).data.metrics.find((metric) => metric.key === 'm')?.value, 29, 'latest m');
  }),
  check('keeps a long history exact across many batches', async (store) => {
    const { info } = await newRun(store);
    for (let batch = 0; batch < 5; batch++) {
      const metrics = Array.from({ length: 700 }, (_, index) => point('long', batch * 700 + index, batch * 700 + index, T0 + batch * 700 + index));
      await store.logBatch(info.runId, { metrics });
    }
    const points = await store.getMetricHistory(info.runId, 'long');
    assertEqual(points.length, 3500, 'history length');
    assertTrue(points.every((item, index) => item.step === index && item.value === index), 'every point in step order');
  }),
  check('samples histories of several runs for charts: first and last point kept, a step range, unknown runs adding nothing', async (store) => {
    const a = (await newRun(store)).info.runId;
    const b = (await newRun(store)).info.runId;
    await store.logBatch(a, { metrics: Array.from({ length: 10 }, (_, step) => point('loss', step / 10, step)) });
    await store.logBatch(b, { metrics: [point('loss', 5, 0), point('loss', 6, 1)] });
    const read = bulkInterval(store);
    const sampled = await read({ runIds: [a, b, '0123456789abcdef0123456789abcdef'], metricKey: 'loss', maxResults: 4 });
    assertEqual(
      sampled.map((item) => [item.runId === a ? 'a' : item.runId === b ? 'b' : item.runId, item.step]),
      [['a', 0], ['a', 3], ['a', 6], ['a', 9], ['b', 0], ['b', 1]],
      'runs in the order given, 10 points cut into 4 buckets of 3, 3, 2, 2 with the last point kept',
    );
    assertEqual((await read({ runIds: [a], metricKey: 'loss', startStep: 2, endStep: 4 })).map((item) => item.step), [2, 3, 4], 'inclusive step range');
    assertEqual((await read({ runIds: [a], metricKey: 'loss', maxResults: 1 })).map((item) => item.step), [9], 'one point is the last');
    await assertRejects(read({ runIds: [a], metricKey: 'loss', startStep: 2 }), 'INVALID_PARAMETER_VALUE', 'a start step without an end step');
    await assertRejects(read({ runIds: [a], metricKey: 'loss', maxResults: 2501 }), 'INVALID_PARAMETER_VALUE', 'maxResults 2501');
  }),
];
