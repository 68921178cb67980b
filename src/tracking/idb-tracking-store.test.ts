import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeTrackingStoreConformance } from '../testing/index.ts';
import type { PlugboardError } from '../errors/index.ts';
import { IdbTrackingStore } from './index.ts';

const toRecordOf = (list: { key: string; value: string }[]): Record<string, string> => Object.fromEntries(list.map((item) => [item.key, item.value]));

let counter = 0;
// Truncation warnings are checked below; the kit's long values would only fill the log.
const freshStore = async () => new IdbTrackingStore(`conformance-${process.pid}-${++counter}`, { onWarning: () => {} });

describeTrackingStoreConformance(freshStore, { describe, it });

describe('IdbTrackingStore', () => {
  it('gives run ids of 32 lowercase hex digits and names of the form adjective-noun-NNN', async () => {
    const store = await freshStore();
    const run = await store.createRun({ experimentId: '0' });
    expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
  });
  it('warns with VALUE_TRUNCATED naming each param or tag value it cut to MLflow\'s limit', async () => {
    const warnings: PlugboardError[] = [];
    const store = new IdbTrackingStore(`truncation-${process.pid}`, { onWarning: (warning) => warnings.push(warning) });
    const run = await store.createRun({ experimentId: '0' });
    await store.logBatch(run.info.runId, { params: [{ key: 'p', value: 'x'.repeat(6001) }], tags: [{ key: 'ok', value: 'short' }] });
    await store.setTag(run.info.runId, { key: 't', value: 'y'.repeat(9000) });
    expect(warnings.map((warning) => [warning.code, warning.field, warning.problem])).toEqual([
      ['VALUE_TRUNCATED', 'params[0].value', `run ${run.info.runId}: params[0].value ("p", 6001 characters cut to 6000)`],
      ['VALUE_TRUNCATED', 'tags[0].value', `run ${run.info.runId}: tags[0].value ("t", 9000 characters cut to 8000)`],
    ]);
    expect(toRecordOf((await store.getRun(run.info.runId)).data.params).p).toHaveLength(6000);
  });
  it('pages a metric history in history order, refusing a token of another metric', async () => {
    const store = await freshStore();
    const run = await store.createRun({ experimentId: '0' });
    await store.logBatch(run.info.runId, { metrics: Array.from({ length: 7 }, (_, step) => ({ key: 'm', value: step, step, timestamp: 100 - step })) });
    const first = await store.getMetricHistoryPage(run.info.runId, 'm', { maxResults: 3 });
    const second = await store.getMetricHistoryPage(run.info.runId, 'm', { maxResults: 3, pageToken: first.nextPageToken });
    const third = await store.getMetricHistoryPage(run.info.runId, 'm', { maxResults: 3, pageToken: second.nextPageToken });
    expect([first, second, third].map((page) => page.metrics.map((point) => point.step))).toEqual([[6, 5, 4], [3, 2, 1], [0]]);
    expect(third.nextPageToken).toBeNull();
    expect((await store.getMetricHistoryPage(run.info.runId, 'm')).metrics).toHaveLength(7);
    await expect(store.getMetricHistoryPage(run.info.runId, 'other', { pageToken: first.nextPageToken })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'pageToken' });
  });
  it('puts artifacts under idb://<database>/<experiment>/<run>/artifacts', async () => {
    const store = new IdbTrackingStore('artifact-uri-db');
    const run = await store.createRun({ experimentId: '0' });
    expect(run.info.artifactUri).toBe(`idb://artifact-uri-db/0/${run.info.runId}/artifacts`);
  });
});
