// The app served over plain http from a host name that is not localhost — an intranet server — is not a secure
// context: the browser gives it no crypto.subtle and no crypto.randomUUID. Evaluating a file and keeping the run,
// with its provenance digests, must work there too.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { serveBuiltApp } from './built-app-server.js';
import { findChromium } from './find-chromium.ts';

test.use({
  launchOptions: {
    executablePath: findChromium()!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP plugboard.test 127.0.0.1'],
  },
});

test('on a plain-http intranet origin the app scores the sample file and keeps the run with its SHA-384 provenance', async ({ page }) => {
  const app = await serveBuiltApp('self');
  try {
    await page.goto(`http://plugboard.test:${new URL(app.url).port}/`);
    expect(await page.evaluate(() => ({ secure: isSecureContext, subtle: typeof crypto.subtle, uuid: typeof crypto.randomUUID }))).toEqual({
      secure: false,
      subtle: 'undefined',
      uuid: 'undefined',
    });
    await page.getByRole('button', { name: 'Try it with sample data' }).click();
    await expect(page.getByRole('combobox', { name: /prediction/i })).toHaveValue('prediction');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const scores = page.getByRole('table', { name: 'Scores' });
    await expect(scores).toBeVisible({ timeout: 60_000 });
    expect(Number(await scores.locator('tr[data-metric="bleu"] td.value').getAttribute('data-value'))).toBeGreaterThan(0);
    const runId = (await page.locator('code.run-id').textContent())!;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    // The run's provenance names the SHA-384 of the module bytes that ran, as in a secure context.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect(page.locator(`tr[data-run="${runId}"]`)).toBeVisible();
    await page.getByRole('button', { name: /^Artifacts of / }).first().click();
    const [results] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results.json' }).click()]);
    const saved = JSON.parse(readFileSync(await results.path(), 'utf8'));
    expect(saved.provenance.length).toBeGreaterThan(0);
    for (const record of saved.provenance) expect(record.sha384).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  } finally {
    await app.close();
  }
});
