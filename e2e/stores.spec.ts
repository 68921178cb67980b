// The artifact repository and the model registry in real Chromium, where IndexedDB stores Blobs natively.
import { expect, test, type Page } from '@playwright/test';

// A page on the app origin without Vite's client, so nothing reloads it mid-test.
const quiet = (page: Page) => page.goto('/package.json');

test('the IndexedDB artifact repository passes its conformance checks in Chromium', async ({ page }) => {
  await quiet(page);
  const results = await page.evaluate(async () => {
    const { runArtifactRepositoryConformance } = await import(/* @vite-ignore */ String('/src/testing/index.ts'));
    const { openArtifactRepository } = await import(/* @vite-ignore */ String('/src/artifacts/index.ts'));
    let counter = 0;
    return runArtifactRepositoryConformance(() => openArtifactRepository(`idb://e2e-artifacts-${Date.now()}/run-${++counter}/artifacts`));
  });
  expect(results.length).toBeGreaterThanOrEqual(10);
  expect(results.filter((result: { passed: boolean }) => !result.passed)).toEqual([]);
});

test('the IndexedDB model registry passes its conformance checks in Chromium', async ({ page }) => {
  await quiet(page);
  const results = await page.evaluate(async () => {
    const { runModelRegistryConformance } = await import(/* @vite-ignore */ String('/src/testing/index.ts'));
    const { openModelRegistryStore } = await import(/* @vite-ignore */ String('/src/model-registry/index.ts'));
    let counter = 0;
    return runModelRegistryConformance(() => openModelRegistryStore(`idb://e2e-registry-${Date.now()}-${++counter}`));
  });
  expect(results.length).toBeGreaterThanOrEqual(10);
  expect(results.filter((result: { passed: boolean }) => !result.passed)).toEqual([]);
});

test('a 48 MB artifact logged through the host survives a reload byte for byte', async ({ page }) => {
  await quiet(page);
  const logged = await page.evaluate(async () => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const tracking = host.tracking({ uri: 'idb://e2e-big-artifact' });
    const run = await tracking.startRun({ runName: 'big' });
    const bytes = new Uint8Array(48 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) crypto.getRandomValues(bytes.subarray(i, i + 4096));
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
    await tracking.logArtifact(new Blob([bytes]), 'model/weights.bin');
    await tracking.endRun();
    return { runId: run.info.runId, digest };
  });
  await page.reload();
  const read = await page.evaluate(async (runId) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const run = await (await host.trackingStore('idb://e2e-big-artifact')).getRun(runId);
    const repository = await host.artifactRepository(run.info.artifactUri);
    const listing = await repository.listArtifacts('model');
    const blob = await repository.downloadArtifact('model/weights.bin');
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())));
    return { listing, size: blob.size, digest, status: run.info.status };
  }, logged.runId);
  expect(read.status).toBe('FINISHED');
  expect(read.size).toBe(48 * 1024 * 1024);
  expect(read.listing).toEqual([{ path: 'model/weights.bin', isDir: false, fileSize: 48 * 1024 * 1024 }]);
  expect(read.digest).toEqual(logged.digest);
});
