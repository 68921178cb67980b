// The Evaluate view on its own terms: what a person sees chosen is what runs.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('Run pressed right after choosing a file scores the columns the view picked for it', async ({ page }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'plugboard-view-')), 'pairs.csv');
  writeFileSync(file, 'id,pred_text,gold\n1,a b c,a b c\n2,x y,x z\n');
  await page.goto('/');
  await page.getByRole('checkbox', { name: 'exact_match', exact: true }).check();
  await page.getByLabel(/data file/i).setInputFiles(file);
  // No column is chosen by hand and nothing waits for the preview: the view's own picks must be the ones used.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const scores = page.getByRole('table', { name: 'Scores' });
  await expect(scores).toBeVisible({ timeout: 30_000 });
  expect(Number(await scores.locator('tr[data-metric="exact_match"] td.value').getAttribute('data-value'))).toBe(0.5);
  await expect(page.getByRole('combobox', { name: /prediction/i })).toHaveValue('pred_text');
  await expect(page.getByRole('combobox', { name: /reference/i })).toHaveValue('gold');
});
