// The built app served under a sub-path (https://host/sub/) scores in its module Workers, whose scripts resolve
// against the app's modules rather than the server root; when the page may not start Workers, it says so where
// the scores are shown, and why, and scores on the main thread.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBuiltApp } from './built-app-server.js';

const file = join(mkdtempSync(join(tmpdir(), 'plugboard-subpath-')), 'pairs.csv');
writeFileSync(file, 'prediction,reference\nthe cat sat on the mat,the cat sat on the mat\na dog ran in the park,the dog ran through the park\n');

async function run(page: Page): Promise<void> {
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('combobox', { name: /prediction/i }).selectOption('prediction');
  await page.getByRole('combobox', { name: /reference/i }).selectOption('reference');
  await page.getByRole('checkbox', { name: 'bleu', exact: true }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Scores' })).toBeVisible({ timeout: 30_000 });
}

test('the built app served under /sub/ scores in its Workers', async ({ page }) => {
  const app = await serveBuiltApp('self', { base: '/sub/' });
  try {
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await page.goto(`${app.url}/`);
    await run(page);
    await expect(page.getByText(/rows scored/)).toContainText(/ · \d+ Workers? · /);
    await expect(page.locator('.workers-unavailable')).toHaveCount(0);
    expect(missing).toEqual([]);
  } finally {
    await app.close();
  }
});

test('when the page may not start Workers, the result says so and why, and the file is scored on the main thread', async ({ page }) => {
  const app = await serveBuiltApp('no-workers', { base: '/sub/' });
  try {
    await page.goto(`${app.url}/`);
    await run(page);
    const note = page.getByRole('note');
    await expect(note).toBeVisible();
    await expect(note).toContainText(`Workers could not start: the evaluation Worker failed to start: the page's Content-Security-Policy refused its script ${app.url}/assets/`);
    await expect(note).toContainText(`(worker-src of "script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'")`);
    await expect(note).toContainText('The file was scored on the main thread instead');
    await expect(page.getByText(/rows scored/)).toContainText(' · in the page · ');
    expect(Number(await page.locator('tr[data-metric="bleu"] td.value').getAttribute('data-value'))).toBeGreaterThan(0);
  } finally {
    await app.close();
  }
});
