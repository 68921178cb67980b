// The plugin manager in real Chromium: plugins installed from the second origin through the page, kept in
// IndexedDB across reloads, pinned, upgraded, uninstalled, refused when the CDN changes their bytes, and loaded
// from the Cache API when the CDN cannot be reached.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CDN } from '../playwright.config.ts';

const V1 = `${CDN}/plugins/lifecycle/v1.js`;
const V2 = `${CDN}/plugins/lifecycle/v2.js`;
const ROW = '[data-plugin="codex_ml.metrics/lifecycle"]';

/** Opens the app page and mounts a plugin manager over a host whose installs go to IndexedDB database `db`. */
async function mount(page: Page, db: string): Promise<Locator> {
  await page.goto('/');
  await page.evaluate(async (db) => {
    const entry = '/src/index.ts';
    const element = '/src/ui/pb-plugin-manager.ts';
    const { createHost, idbInstalledPlugins } = await import(/* @vite-ignore */ entry);
    await import(/* @vite-ignore */ element);
    const host = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(db), onWarning: () => {} });
    (globalThis as { pbHost?: unknown }).pbHost = host;
    const manager = document.createElement('pb-plugin-manager') as HTMLElement & { host: unknown };
    manager.host = host;
    document.body.append(manager);
  }, db);
  return page.locator('pb-plugin-manager');
}

/** Loads the installed metric in the page and scores one pair with it. */
function score(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const host = (globalThis as { pbHost?: { load(group: string, name: string): Promise<(p: string[], r: string[]) => { score: number }> } }).pbHost!;
    return (await host.load('codex_ml.metrics', 'lifecycle'))(['a'], ['a']).score;
  });
}

test('installs from the CDN through the page, keeps it pinned across a reload, disables, upgrades and uninstalls', async ({ page }) => {
  const db = `e2e-lifecycle-${Date.now()}`;
  let manager = await mount(page, db);
  await manager.getByRole('textbox', { name: /URL/ }).fill(`${V1}#metric`);
  await manager.getByRole('textbox', { name: /Group/ }).fill('codex_ml.metrics');
  await manager.getByRole('textbox', { name: /Name/ }).fill('lifecycle');
  await manager.getByRole('button', { name: 'Install', exact: true }).click();

  const review = manager.getByRole('region', { name: 'Review install' });
  await expect(review).toContainText(CDN);
  await expect(review).toContainText('not allowed yet');
  await expect(review).toContainText('codex_ml.metrics');
  await expect(review).toContainText(/sha384-[A-Za-z0-9+/]{64}/);
  const planned = /sha384-[A-Za-z0-9+/]{64}/.exec((await review.textContent()) ?? '')![0];
  // Nothing is kept before the person confirms.
  expect(await page.evaluate(() => (globalThis as { pbHost?: { plugins: { installed(): unknown[] } } }).pbHost!.plugins.installed().length)).toBe(0);
  await review.getByRole('button', { name: 'Confirm install' }).click();

  const row = manager.locator(ROW);
  await expect(row).toHaveAttribute('data-status', 'loaded');
  await expect(row).toContainText(planned);
  expect(await score(page)).toBe(1);

  manager = await mount(page, db);
  await expect(manager.locator(ROW)).toHaveAttribute('data-status', 'not-loaded');
  await expect(manager.locator(ROW)).toContainText(planned);
  await manager.getByRole('button', { name: 'Load lifecycle' }).click();
  await expect(manager.locator(ROW)).toHaveAttribute('data-status', 'loaded');
  expect(await score(page)).toBe(1);

  await manager.getByRole('button', { name: 'Disable lifecycle' }).click();
  await expect(manager.locator(ROW)).toHaveAttribute('data-status', 'disabled');
  expect(await score(page).catch((thrown: Error) => thrown.message)).toContain('disabled');
  await manager.getByRole('button', { name: 'Enable lifecycle' }).click();
  await expect(manager.locator(ROW)).toHaveAttribute('data-status', 'not-loaded');

  await manager.getByRole('button', { name: 'Upgrade lifecycle' }).click();
  await manager.getByRole('textbox', { name: /New URL for lifecycle/ }).fill(`${V2}#metric`);
  await manager.getByRole('button', { name: 'Apply upgrade' }).click();
  await expect(manager.locator(ROW)).toContainText(V2);
  await expect(manager.locator(ROW)).not.toContainText(planned);
  expect(await score(page)).toBe(2);
  const kept = () => page.evaluate(async (url) => Boolean(await (await caches.open('plugboard-modules')).match(url)), V2);
  await expect.poll(kept).toBe(true);

  await manager.getByRole('button', { name: 'Uninstall lifecycle' }).click();
  await expect(manager.locator(ROW)).toHaveCount(0);
  // What install kept for offline use goes with it.
  expect(await kept()).toBe(false);
  manager = await mount(page, db);
  await expect(manager.locator(ROW)).toHaveCount(0);
});

test('refuses other bytes at the pinned URL with the integrity error, and loads the pinned bytes from the cache offline', async ({ page }) => {
  const db = `e2e-pinned-${Date.now()}`;
  await mount(page, db);
  await page.evaluate(
    async (url) =>
      (globalThis as { pbHost?: { plugins: { install(url: string, options: unknown): Promise<unknown> } } }).pbHost!.plugins.install(url, {
        module: { group: 'codex_ml.metrics', name: 'lifecycle' },
        allowOrigin: true,
      }),
    `${V1}#metric`,
  );

  await page.route(V1, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', headers: { 'Access-Control-Allow-Origin': '*' }, body: "export const metric = Object.assign(() => ({ score: 666 }), { api: 'v1' });\n" }),
  );
  let manager = await mount(page, db);
  await manager.getByRole('button', { name: 'Load lifecycle' }).click();
  const row = manager.locator(ROW);
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row.locator('[data-code="INTEGRITY_MISMATCH"]')).toHaveAttribute('data-stage', 'integrity');
  await page.unroute(V1);

  // The CDN cannot be reached: the bytes kept when they matched their pin run.
  await page.route(V1, (route) => route.abort('connectionrefused'));
  manager = await mount(page, db);
  await manager.getByRole('button', { name: 'Load lifecycle' }).click();
  await expect(manager.locator(ROW)).toHaveAttribute('data-status', 'loaded');
  expect(await score(page)).toBe(1);
});

test('renders every string a manifest supplies as text, never as markup', async ({ page }) => {
  const manager = await mount(page, `e2e-markup-${Date.now()}`);
  await manager.getByRole('textbox', { name: /URL/ }).fill(`${CDN}/lifecycle-markup.json`);
  await manager.getByRole('button', { name: 'Install', exact: true }).click();
  await manager.getByRole('button', { name: 'Confirm install' }).click();
  const row = manager.locator(ROW);
  await expect(row).toContainText('<img src=x onerror="globalThis.pwned = true">');
  await expect(row).toContainText('<b>1</b>');
  await expect(manager.locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as { pwned?: boolean }).pwned)).toBeUndefined();
});

test('the app’s Plugins view searches the sample catalog and installs the newest version this Plugboard fits', async ({ page }) => {
  await page.goto('/#plugins');
  const manager = page.locator('pb-plugin-manager');
  await manager.getByRole('searchbox', { name: 'Search catalogs' }).fill('length');
  await manager.getByRole('button', { name: 'Search', exact: true }).click();
  const listed = manager.locator('[data-catalog-plugin="codex_ml.metrics/length_ratio"]');
  await expect(listed).toContainText('2.0.0 (needs Plugboard >=0.2 <0.4)');
  await manager.getByRole('button', { name: 'Install length_ratio 1.0.0' }).click();
  const review = manager.getByRole('region', { name: 'Review install' });
  await expect(review).toContainText('length-ratio-1.0.0.js');
  await expect(review).not.toContainText('trust on first use');
  await review.getByRole('button', { name: 'Confirm install' }).click();
  const row = manager.locator('[data-plugin="codex_ml.metrics/length_ratio"]');
  await expect(row).toHaveAttribute('data-status', 'loaded');
  await expect(row).toContainText('plugins-catalog.json');
  await expect(row).toContainText('1.0.0');
});

test('keeps the catalog list with its priority in IndexedDB: added, moved up and removed catalogs are the same after a reload', async ({ page }) => {
  const db = `e2e-catalogs-${Date.now()}`;
  const [first, second, third] = [`${CDN}/catalog-a.json`, `${CDN}/catalog-b.json`, `${CDN}/catalog-c.json`];
  let manager = await mount(page, db);
  for (const url of [first, second, third]) {
    await manager.getByRole('textbox', { name: 'Catalog address' }).fill(url);
    await manager.getByRole('button', { name: 'Add catalog' }).click();
    await expect(manager.getByRole('listitem').filter({ hasText: url })).toHaveCount(1);
  }
  await manager.getByRole('button', { name: `Move up ${third}` }).click();
  await manager.getByRole('button', { name: `Remove ${first}` }).click();
  // The app's sample catalog comes first: the list starts from the defaults.
  const listed = () => manager.locator('section[aria-label="Catalogs"] li');
  await expect(listed()).toHaveCount(3);
  await expect(listed().nth(1)).toContainText(third);

  manager = await mount(page, db);
  await expect(listed()).toHaveCount(3);
  await expect(listed().nth(0)).toContainText('plugins-catalog.json');
  await expect(listed().nth(1)).toContainText(third);
  await expect(listed().nth(2)).toContainText(second);
});

test('keeps every module a plugin imports pinned in the Cache API: it loads with the CDN refusing, and a changed imported module is refused', async ({ page }) => {
  const db = `e2e-multi-${Date.now()}`;
  const TWICE = `${CDN}/plugins/multi/lib/twice.js`;
  const useMulti = () =>
    page.evaluate(async () => {
      const host = (globalThis as { pbHost?: { load(group: string, name: string): Promise<(p: string[], r: string[]) => { score: number }> } }).pbHost!;
      try {
        return { score: (await host.load('codex_ml.metrics', 'multi'))(['a'], ['a']).score };
      } catch (thrown) {
        const { code, stage, url, plugin } = thrown as Record<string, unknown>;
        return { code, stage, url, plugin };
      }
    });
  await mount(page, db);
  const installed = await page.evaluate(
    async (url) =>
      (globalThis as { pbHost?: { plugins: { install(url: string, options: unknown): Promise<Array<{ modules?: Record<string, string> }>> } } }).pbHost!.plugins.install(url, { allowOrigin: true }),
    `${CDN}/multi.json`,
  );
  expect(Object.keys(installed[0]!.modules ?? {}).sort()).toEqual([`${CDN}/plugins/multi/base.js`, `${CDN}/plugins/multi/lib/one.js`, TWICE]);
  expect(await useMulti()).toEqual({ score: 42 });

  // The CDN refuses every connection: after a reload the plugin and every module it imports come from the cache.
  const refused: string[] = [];
  await page.route(`${CDN}/**`, (route) => {
    refused.push(route.request().url());
    return route.abort('connectionrefused');
  });
  await mount(page, db);
  expect(await useMulti()).toEqual({ score: 42 });
  expect(refused).toEqual(expect.arrayContaining([`${CDN}/plugins/multi/entry.js`, TWICE]));
  await page.unroute(`${CDN}/**`);

  // The CDN serves other bytes for a module the plugin imports: the load is refused with the integrity error.
  await page.route(TWICE, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', headers: { 'Access-Control-Allow-Origin': '*' }, body: 'export const twice = () => 666;\n' }),
  );
  await mount(page, db);
  expect(await useMulti()).toEqual({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', url: TWICE, plugin: 'multi' });

  // Uninstalled, the plugin leaves nothing in the Cache API: neither its module nor any module it imports.
  const pinned = [`${CDN}/plugins/multi/entry.js`, ...Object.keys(installed[0]!.modules ?? {})];
  const keptOf = () => page.evaluate(async (urls) => {
    const cache = await caches.open('plugboard-modules');
    return (await Promise.all(urls.map(async (url) => ((await cache.match(url)) ? url : undefined)))).filter(Boolean);
  }, pinned);
  expect((await keptOf()).sort()).toEqual([...pinned].sort());
  await page.evaluate(() => (globalThis as { pbHost?: { plugins: { uninstall(group: string, name: string): Promise<void> } } }).pbHost!.plugins.uninstall('codex_ml.metrics', 'multi'));
  expect(await keptOf()).toEqual([]);
});

test('the install review lists every module a plugin imports with the digest it will be pinned to', async ({ page }) => {
  const manager = await mount(page, `e2e-multi-review-${Date.now()}`);
  await manager.getByRole('textbox', { name: /URL/ }).fill(`${CDN}/multi.json`);
  await manager.getByRole('button', { name: 'Install', exact: true }).click();
  const review = manager.getByRole('region', { name: 'Review install' });
  await review.getByText('imports 3 modules, each pinned').click();
  for (const path of ['base.js', 'lib/one.js', 'lib/twice.js']) await expect(review.getByRole('listitem').filter({ hasText: `${CDN}/plugins/multi/${path} sha384-` })).toHaveCount(1);
  await review.getByRole('button', { name: 'Confirm install' }).click();
  await expect(manager.locator('[data-plugin="codex_ml.metrics/multi"]')).toHaveAttribute('data-status', 'loaded');
});
