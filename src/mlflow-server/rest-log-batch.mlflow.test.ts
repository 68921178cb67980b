import { describe, expect, it } from 'vitest';
import { RestTrackingStore } from './index.ts';
import { resetTestMlflowServer, testMlflowServer } from './test-server.test-helpers.ts';

const server = testMlflowServer();

describe('RestTrackingStore.logBatch on a real server', () => {
  // MLflow's server measures its 1 MB log-batch limit on the parsed request (its number of top-level fields), so
  // a body over 1 MB within the count limits is taken whole: one request keeps the batch all or nothing.
  it('writes a 1.4 MB batch within the count limits in one request, all of it', async () => {
    resetTestMlflowServer(server);
    let requests = 0;
    let largest = 0;
    const store = new RestTrackingStore(server.url, {
      fetch: (input, init) => {
        if (String(input).endsWith('/runs/log-batch')) {
          requests += 1;
          largest = Math.max(largest, new TextEncoder().encode(String(init?.body)).length);
        }
        return globalThis.fetch(input, init);
      },
    });
    const run = await store.createRun({ experimentId: '0', startTime: 1 });
    await store.logBatch(run.info.runId, {
      params: Array.from({ length: 100 }, (_, index) => ({ key: `p${index}`, value: 'x'.repeat(6000) })),
      tags: Array.from({ length: 100 }, (_, index) => ({ key: `t${index}`, value: 'y'.repeat(8000) })),
      metrics: Array.from({ length: 800 }, (_, step) => ({ key: 'm', value: step, timestamp: 1, step })),
    });
    expect([requests, largest > 1_000_000]).toEqual([1, true]);
    const read = await store.getRun(run.info.runId);
    expect([read.data.params.length, read.data.tags.filter((tag) => tag.key.startsWith('t')).length]).toEqual([100, 100]);
    expect(await store.getMetricHistory(run.info.runId, 'm')).toHaveLength(800);
  });

  it('refuses a batch over MLflow\'s per-call counts before sending anything', async () => {
    let requests = 0;
    const store = new RestTrackingStore(server.url, { fetch: (input, init) => ((requests += 1), globalThis.fetch(input, init)) });
    for (const batch of [{ params: Array.from({ length: 101 }, (_, index) => ({ key: `p${index}`, value: '' })) }, { metrics: Array.from({ length: 1001 }, (_, step) => ({ key: 'm', value: 0, timestamp: 1, step })) }]) {
      await expect(store.logBatch('0123456789abcdef0123456789abcdef', batch)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
    expect(requests).toBe(0);
  });
});
