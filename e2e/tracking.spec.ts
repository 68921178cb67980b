// The tracking store in real Chromium: the conformance kit, reload survival, two tabs on one database,
// and run context providers loaded from manifests.
import { expect, test, type Page } from '@playwright/test';
import { CDN } from '../playwright.config.ts';

// A page on the app origin without Vite's client, so edits elsewhere never reload it mid-test.
const QUIET_PAGE = '/package.json';

async function openQuiet(page: Page): Promise<void> {
  await page.goto(QUIET_PAGE);
}

test('the IndexedDB tracking store passes the conformance kit in Chromium', async ({ page }) => {
  test.setTimeout(120_000);
  await openQuiet(page);
  const results = await page.evaluate(async () => {
    const { runTrackingStoreConformance } = await import(/* @vite-ignore */ String('/src/testing/index.ts'));
    const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
    let counter = 0;
    return runTrackingStoreConformance(async () => new IdbTrackingStore(`e2e-conformance-${Date.now()}-${++counter}`));
  });
  expect(results.length).toBeGreaterThanOrEqual(40);
  expect(results.filter((result: { passed: boolean }) => !result.passed)).toEqual([]);
});

test('the in-memory example store passes the same kit in Chromium', async ({ page }) => {
  await openQuiet(page);
  const results = await page.evaluate(async () => {
    const { runTrackingStoreConformance } = await import(/* @vite-ignore */ String('/src/testing/index.ts'));
    const { MemoryTrackingStore } = await import(/* @vite-ignore */ String('/examples/memory-store/memory-store.ts'));
    return runTrackingStoreConformance(async () => new MemoryTrackingStore());
  });
  expect(results.filter((result: { passed: boolean }) => !result.passed)).toEqual([]);
});

test('a run created in the page survives a reload, with its metrics, params and history', async ({ page }) => {
  await openQuiet(page);
  const database = `e2e-reload-${Date.now()}`;
  const runId = await page.evaluate(async (database) => {
    const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
    const store = new IdbTrackingStore(database);
    const run = await store.createRun({ experimentId: '0', runName: 'survivor' });
    await store.logBatch(run.info.runId, {
      metrics: Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1_700_000_000_000, step })),
      params: [{ key: 'lr', value: '0.01' }],
    });
    return run.info.runId;
  }, database);
  await page.reload();
  const after = await page.evaluate(
    async ({ database, runId }) => {
      const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
      const store = new IdbTrackingStore(database);
      const run = await store.getRun(runId);
      const history = await store.getMetricHistory(runId, 'loss');
      const found = await store.searchRuns({ experimentIds: ['0'], filter: "params.lr = '0.01'" });
      return { name: run.info.runName, params: run.data.params, points: history.length, found: found.runs.map((item: { info: { runId: string } }) => item.info.runId) };
    },
    { database, runId },
  );
  expect(after).toEqual({ name: 'survivor', params: [{ key: 'lr', value: '0.01' }], points: 50, found: [runId] });
});

test('two tabs logging to the same run at once lose no point, and each tab’s search sees the other’s runs', async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  await Promise.all([openQuiet(first), openQuiet(second)]);
  const database = `e2e-two-tabs-${Date.now()}`;
  const runId = await first.evaluate(async (database) => {
    const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
    const store = new IdbTrackingStore(database);
    await store.searchRuns({ experimentIds: ['0'] });
    return (await store.createRun({ experimentId: '0', runName: 'shared' })).info.runId;
  }, database);
  const log = (page: Page, offset: number) =>
    page.evaluate(
      async ({ database, runId, offset }) => {
        const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
        const store = new IdbTrackingStore(database);
        for (let batch = 0; batch < 20; batch++) {
          const metrics = Array.from({ length: 50 }, (_, index) => {
            const step = offset + batch * 50 + index;
            return { key: 'm', value: step, timestamp: 1_700_000_000_000 + step, step };
          });
          await store.logBatch(runId, { metrics });
          if (batch % 5 === 0) await store.logMetric(runId, { key: `tab${offset}`, value: batch, timestamp: 1, step: batch });
        }
      },
      { database, runId, offset },
    );
  await Promise.all([log(first, 0), log(second, 1000)]);
  await second.evaluate(async (database) => {
    const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
    await new IdbTrackingStore(database).createRun({ experimentId: '0', runName: 'from-second-tab' });
  }, database);
  const seen = await first.evaluate(
    async ({ database, runId }) => {
      const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
      const store = new IdbTrackingStore(database);
      const history = await store.getMetricHistory(runId, 'm');
      const run = await store.getRun(runId);
      const found = await store.searchRuns({ experimentIds: ['0'], orderBy: ['attributes.run_name'] });
      return {
        steps: history.map((point: { step: number }) => point.step),
        latest: run.data.metrics.find((metric: { key: string }) => metric.key === 'm')?.value,
        keys: run.data.metrics.map((metric: { key: string }) => metric.key).sort(),
        names: found.runs.map((item: { info: { runName: string } }) => item.info.runName),
      };
    },
    { database, runId },
  );
  expect(seen.steps).toEqual(Array.from({ length: 2000 }, (_, step) => step));
  expect(seen.latest).toBe(1999);
  expect(seen.keys).toEqual(['m', 'tab0', 'tab1000']);
  expect(seen.names).toEqual(['from-second-tab', 'shared']);
});

test('a tab holding an older schema version closes its connection when another tab upgrades, without deadlock', async ({ context }) => {
  const [older, newer] = [await context.newPage(), await context.newPage()];
  await Promise.all([openQuiet(older), openQuiet(newer)]);
  const database = `e2e-versionchange-${Date.now()}`;
  await older.evaluate(async (database) => {
    const { openPlugboardDB } = await import(/* @vite-ignore */ String('/src/storage/index.ts'));
    const notices: string[] = [];
    (globalThis as { notices?: string[] }).notices = notices;
    (globalThis as { older?: unknown }).older = await openPlugboardDB(database, { version: 1, onNotice: (message: string) => notices.push(message) });
  }, database);
  const version = await newer.evaluate(async (database) => {
    const { IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
    const { openPlugboardDB } = await import(/* @vite-ignore */ String('/src/storage/index.ts'));
    const { SCHEMA_VERSION } = await import(/* @vite-ignore */ String('/src/storage/index.ts'));
    await new IdbTrackingStore(database).createRun({ experimentId: '0' });
    return { opened: (await openPlugboardDB(database)).version, current: SCHEMA_VERSION };
  }, database);
  expect(version.opened).toBe(version.current);
  expect(version.current).toBeGreaterThan(1);
  const olderState = await older.evaluate(async (database) => {
    const notices = (globalThis as { notices?: string[] }).notices ?? [];
    const older = (globalThis as { older?: { transaction(name: string): unknown } }).older!;
    let closed = false;
    try {
      older.transaction('meta');
    } catch {
      closed = true;
    }
    // The older code cannot reopen a database that moved past its version: a clear error, not a hang.
    const { openPlugboardDB } = await import(/* @vite-ignore */ String('/src/storage/index.ts'));
    const reopen = await openPlugboardDB(database, { version: 1 }).then(
      () => 'opened',
      (error: { code?: string }) => error.code,
    );
    return { notices, closed, reopen };
  }, database);
  expect(olderState.closed).toBe(true);
  expect(olderState.notices[0]).toContain(`closes so that version ${version.current} can open`);
  expect(olderState.reopen).toBe('INVALID_STATE');
});

test('startRun merges the built-in context tags and a manifest plugin’s own tags, explicit tags winning', async ({ page }) => {
  await page.goto('/');
  const tags = await page.evaluate(
    async ({ cdn }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createFluentTracking, IdbTrackingStore } = await import(/* @vite-ignore */ String('/src/tracking/index.ts'));
      const host = await createHost({ manifests: [`${cdn}/good.json`], allowedOrigins: ['self', cdn], onWarning: () => {} });
      const group = 'mlflow.run_context_provider';
      const report = await host.loadGroup(group);
      const registry = host.registry(group);
      // Built-ins first, then plugins, as MLflow orders its providers.
      const builtins = ['page', 'user_agent', 'plugboard'];
      const names = [...builtins.filter((name: string) => registry.has(name)), ...registry.names().filter((name: string) => !builtins.includes(name))];
      const fluent = createFluentTracking({
        store: new IdbTrackingStore(`e2e-context-${Date.now()}`),
        contextProviders: names.map((name: string) => [name, registry.get(name)]),
      });
      const run = await fluent.startRun({ runName: 'ctx', tags: { 'ci.provider': 'explicit-wins' } });
      const other = await fluent.startRun({ nested: true });
      return {
        errors: report.errors,
        names,
        tags: Object.fromEntries(run.data.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value])),
        child: Object.fromEntries(other.data.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value])),
        href: location.origin + location.pathname,
        agent: navigator.userAgent,
      };
    },
    { cdn: CDN },
  );
  expect(tags.errors).toEqual([]);
  expect(tags.names).toEqual(['page', 'user_agent', 'plugboard', 'ci']);
  expect(tags.tags).toMatchObject({
    'mlflow.source.name': tags.href,
    'mlflow.source.type': 'LOCAL',
    'plugboard.userAgent': tags.agent,
    'plugboard.version': expect.any(String),
    'ci.provider': 'explicit-wins',
    'mlflow.runName': 'ctx',
  });
  expect(tags.child['ci.provider']).toBe('fixture');
});

test('a store plugin from a manifest serves its scheme, idb stays built in, and an unknown scheme lists both', async ({ page }) => {
  await page.goto('/');
  const outcome = await page.evaluate(async () => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ manifests: ['/examples/memory-store/plugins-manifest.json'], onWarning: () => {} });
    const group = 'mlflow.tracking_store';
    const report = await host.loadGroup(group);
    const registry = host.registry(group);
    const memory = await host.trackingStore('memory://e2e');
    const run = await memory.createRun({ experimentId: '0', runName: 'in-memory' });
    const again = await host.trackingStore('memory://e2e');
    const idb = await host.trackingStore(`idb://e2e-scheme-${Date.now()}`);
    const unknown = await host.trackingStore('s3://bucket/mlruns').then(
      () => null,
      (error: { code: string; hint: string }) => ({ code: error.code, hint: error.hint }),
    );
    return {
      errors: report.errors,
      names: registry.names(),
      name: (await again.getRun(run.info.runId)).info.runName,
      idbDefault: (await idb.getExperiment('0')).name,
      unknown,
    };
  });
  expect(outcome.errors).toEqual([]);
  expect(outcome.names).toEqual(['http', 'https', 'idb', 'memory']);
  expect(outcome.name).toBe('in-memory');
  expect(outcome.idbDefault).toBe('Default');
  expect(outcome.unknown).toEqual({ code: 'UNKNOWN_STORE_SCHEME', hint: expect.stringContaining('Known schemes: http:, https:, idb:, memory:.') });
});
