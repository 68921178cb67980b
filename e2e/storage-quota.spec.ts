// The stores at the edge of the origin's storage quota, which Chromium lets a test set (DevTools protocol).
import { expect, test, type Page } from '@playwright/test';
import { APP } from '../playwright.config.ts';

const MB = 1024 * 1024;

/**
 * Sets the app origin's quota to `megabytes` and opens a page there without Vite's client; the override is
 * removed after the test, so later tests in this browser get the usual quota.
 */
async function withQuota(page: Page, megabytes: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(APP).origin, quotaSize: megabytes * MB });
  resetQuota = () => cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(APP).origin }).then(() => undefined);
  await page.goto('/package.json');
}

let resetQuota: (() => Promise<void>) | undefined;
test.afterEach(async () => {
  await resetQuota?.();
  resetQuota = undefined;
});

test('a write too big for the quota fails with RESOURCE_EXHAUSTED and leaves the store writable, also in a new page', async ({ page }) => {
  await withQuota(page, 50);
  const first = await page.evaluate(async () => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const { openArtifactRepository } = await import(/* @vite-ignore */ String('/src/artifacts/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const store = await host.trackingStore('idb://e2e-quota');
    const run = await store.createRun({ experimentId: '0', startTime: Date.now(), tags: [], runName: 'too-big' });
    // 1 MiB slices: Chromium has stored many of them as files when it refuses the transaction.
    const repository = await openArtifactRepository(run.info.artifactUri, { chunkSize: 1024 * 1024 });
    const bytes = new Uint8Array(200 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    const failure = await repository.logArtifact(new Blob([bytes]), 'weights.bin').then(
      () => undefined,
      (error: { code?: string; problem?: string; hint?: string }) => ({ code: error.code, problem: error.problem, hint: error.hint }),
    );
    const { usage } = await navigator.storage.estimate();
    const listing = await repository.listArtifacts();
    await store.logMetric(run.info.runId, { key: 'loss', value: 0.5, timestamp: Date.now(), step: 0 });
    await repository.logArtifact('small', 'notes.txt');
    return { runId: run.info.runId, failure, usage, listing };
  });
  expect(first.failure).toMatchObject({ code: 'RESOURCE_EXHAUSTED', problem: expect.stringContaining('nothing was written') });
  expect(first.failure?.hint).toContain('deleteArtifacts()');
  expect(first.listing).toEqual([]);
  expect(first.usage).toBeLessThan(50 * MB);

  const page2 = await page.context().newPage();
  await page2.goto('/package.json');
  const second = await page2.evaluate(async (runId) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const store = await host.trackingStore('idb://e2e-quota');
    await store.logMetric(runId, { key: 'loss', value: 0.25, timestamp: Date.now(), step: 1 });
    await store.deleteRun(runId);
    const run = await store.getRun(runId);
    return { lifecycle: run.info.lifecycleStage, losses: run.data.metrics.map((metric: { value: number }) => metric.value) };
  }, first.runId);
  expect(second).toEqual({ lifecycle: 'deleted', losses: [0.25] });
});
