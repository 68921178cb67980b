// Freezing and restoring in real Chromium: "Export bundle" saves the installed plugins with their module bytes,
// and "Install bundle" installs them on a host with an empty cache while every request to the CDN is aborted;
// bundled bytes that do not match their pin are refused with the integrity error naming plugin and URL.
import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CDN } from '../playwright.config.ts';

const V1 = `${CDN}/plugins/lifecycle/v1.js`;
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

/** Installs v1 of the fixture metric, exports a bundle through the button and returns the saved file's path. */
async function exportBundle(page: Page, db: string, path: string): Promise<void> {
  const manager = await mount(page, db);
  await page.evaluate(
    async (url) =>
      (globalThis as { pbHost?: { plugins: { install(url: string, options: unknown): Promise<unknown> } } }).pbHost!.plugins.install(url, {
        module: { group: 'codex_ml.metrics', name: 'lifecycle' },
        allowOrigin: true,
      }),
    `${V1}#metric`,
  );
  const download = page.waitForEvent('download');
  await manager.getByRole('button', { name: 'Export bundle' }).click();
  await (await download).saveAs(path);
  // The page's own offline copy is dropped, so what loads later can only come from the bundle.
  await page.evaluate(() => caches.delete('plugboard-modules'));
}

test('installs an exported bundle with every CDN request aborted, and the plugin runs', async ({ page }, info) => {
  const path = info.outputPath('plugboard-bundle.json');
  await exportBundle(page, `e2e-bundle-from-${Date.now()}`, path);
  const bundle = JSON.parse(await readFile(path, 'utf8')) as { plugins: Array<{ url: string; integrity: string }>; modules: Record<string, { integrity: string }> };
  expect(bundle.plugins.map((plugin) => plugin.url)).toEqual([V1]);
  expect(bundle.modules[V1]!.integrity).toBe(bundle.plugins[0]!.integrity);

  const aborted: string[] = [];
  await page.route(`${CDN}/**`, (route) => {
    aborted.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  const manager = await mount(page, `e2e-bundle-to-${Date.now()}`);
  await manager.getByLabel('Install bundle').setInputFiles(path);
  await expect(manager.locator(ROW)).toHaveAttribute('data-installed', 'yes');
  const score = await page.evaluate(async () => {
    const host = (globalThis as { pbHost?: { load(group: string, name: string): Promise<(p: string[], r: string[]) => { score: number }> } }).pbHost!;
    return (await host.load('codex_ml.metrics', 'lifecycle'))(['a'], ['a']).score;
  });
  expect(score).toBe(1);
  expect(aborted).toContain(V1);
});

test('refuses a bundle whose bytes do not match their pin, naming the plugin and URL, and installs nothing', async ({ page }, info) => {
  const path = info.outputPath('plugboard-bundle.json');
  await exportBundle(page, `e2e-bundle-tampered-${Date.now()}`, path);
  const bundle = JSON.parse(await readFile(path, 'utf8')) as { modules: Record<string, { base64: string }> };
  bundle.modules[V1]!.base64 = Buffer.from("export const metric = Object.assign(() => ({ score: 666 }), { api: 'v1' });\n").toString('base64');
  await writeFile(path, JSON.stringify(bundle));

  await page.route(`${CDN}/**`, (route) => route.abort('internetdisconnected'));
  const manager = await mount(page, `e2e-bundle-refused-${Date.now()}`);
  await manager.getByLabel('Install bundle').setInputFiles(path);
  const alert = manager.getByRole('alert');
  await expect(alert.locator('[data-code="INTEGRITY_MISMATCH"]')).toHaveAttribute('data-stage', 'integrity');
  await expect(alert).toContainText('codex_ml.metrics/lifecycle');
  await expect(alert).toContainText(V1);
  await expect(manager.locator(ROW)).toHaveCount(0);
});

test('bundles every module a plugin imports: it installs and runs with the CDN aborted, and a changed imported module is refused', async ({ page }, info) => {
  const path = info.outputPath('plugboard-multi-bundle.json');
  const TWICE = `${CDN}/plugins/multi/lib/twice.js`;
  const manager = await mount(page, `e2e-bundle-multi-from-${Date.now()}`);
  await page.evaluate(
    async (url) => (globalThis as { pbHost?: { plugins: { install(url: string, options: unknown): Promise<unknown> } } }).pbHost!.plugins.install(url, { allowOrigin: true }),
    `${CDN}/multi.json`,
  );
  const download = page.waitForEvent('download');
  await manager.getByRole('button', { name: 'Export bundle' }).click();
  await (await download).saveAs(path);
  await page.evaluate(() => caches.delete('plugboard-modules'));
  const bundle = JSON.parse(await readFile(path, 'utf8')) as { modules: Record<string, { base64: string }> };
  expect(Object.keys(bundle.modules).sort()).toEqual([`${CDN}/plugins/multi/base.js`, `${CDN}/plugins/multi/entry.js`, `${CDN}/plugins/multi/lib/one.js`, TWICE]);

  await page.route(`${CDN}/**`, (route) => route.abort('internetdisconnected'));
  let target = await mount(page, `e2e-bundle-multi-to-${Date.now()}`);
  await target.getByLabel('Install bundle').setInputFiles(path);
  await expect(target.locator('[data-plugin="codex_ml.metrics/multi"]')).toHaveAttribute('data-installed', 'yes');
  const score = await page.evaluate(async () => {
    const host = (globalThis as { pbHost?: { load(group: string, name: string): Promise<(p: string[], r: string[]) => { score: number }> } }).pbHost!;
    return (await host.load('codex_ml.metrics', 'multi'))(['a'], ['a']).score;
  });
  expect(score).toBe(42);

  bundle.modules[TWICE]!.base64 = Buffer.from('export const twice = () => 666;\n').toString('base64');
  const tampered = info.outputPath('plugboard-multi-tampered.json');
  await writeFile(tampered, JSON.stringify(bundle));
  target = await mount(page, `e2e-bundle-multi-refused-${Date.now()}`);
  await target.getByLabel('Install bundle').setInputFiles(tampered);
  const alert = target.getByRole('alert');
  await expect(alert.locator('[data-code="INTEGRITY_MISMATCH"]')).toHaveAttribute('data-stage', 'integrity');
  await expect(alert).toContainText(TWICE);
  await expect(target.locator('[data-plugin="codex_ml.metrics/multi"]')).toHaveCount(0);
});

test('a chosen file that is not JSON is refused naming the file and the button that makes such files, for a bundle and for an installed-plugins file', async ({ page }, info) => {
  const path = info.outputPath('notes.json');
  await writeFile(path, 'these are notes, not JSON\n');
  const manager = await mount(page, `e2e-bundle-not-json-${Date.now()}`);
  for (const [label, madeBy] of [
    ['Install bundle', 'Export bundle'],
    ['Import installed plugins', 'Export installed plugins'],
  ] as const) {
    await manager.getByLabel(label).setInputFiles(path);
    const alert = manager.getByRole('alert');
    await expect(alert).toContainText('notes.json is not JSON');
    await expect(alert).toContainText(`Choose a file made by "${madeBy}".`);
  }
  await expect(manager.locator('[data-plugin]')).toHaveCount(0);
});
