// bleu with a flores tokenizer in the app: the SentencePiece model, given by URL in the form the metric's
// declared options generate, is loaded by the metric's prepare inside each scoring Worker.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDN } from '../playwright.config.ts';

test('bleu with tokenize flores101 scores in Workers as the CLI does, the model read from its URL', async ({ page }) => {
  test.setTimeout(90_000);
  const inputs = JSON.parse(readFileSync('src/plugins/metrics/fixtures/text-inputs.json', 'utf8')).inputs as Record<string, { predictions: string[]; references: unknown[] }>;
  const rows = ['generated-zh', 'generated-mixed'].flatMap((name) =>
    inputs[name]!.predictions.map((prediction, row) => ({ prediction, reference: inputs[name]!.references[row] })).filter((row) => typeof row.reference === 'string'),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'plugboard-flores-')), 'pairs.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  const model = 'e2e/fixtures/cdn/flores101-stand-in.model';
  const expected = JSON.parse(
    execFileSync('node', ['dist/cli.js', 'eval', '--metric', 'bleu', '--data', file, '--option', 'tokenize=flores101', '--option', `spm_model=${model}`], { encoding: 'utf8' }),
  ) as { result: { score: number; signature: string } };
  expect(expected.result.signature).toBe('nrefs:1|case:mixed|eff:no|tok:flores101|smooth:exp|version:2.6.0');

  await page.goto('/');
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('combobox', { name: /prediction/i }).selectOption('prediction');
  await page.getByRole('combobox', { name: /reference/i }).selectOption('reference');
  await page.getByRole('checkbox', { name: 'bleu', exact: true }).check();
  const options = page.getByRole('group', { name: 'bleu options' });
  await options.getByRole('combobox', { name: 'tokenize' }).selectOption('flores101');
  await options.getByRole('textbox', { name: 'spm_model' }).fill(`${CDN}/flores101-stand-in.model`);
  await options.getByRole('textbox', { name: 'spm_model' }).press('Tab');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const scores = page.getByRole('table', { name: 'Scores' });
  await expect(scores).toBeVisible({ timeout: 60_000 });
  const score = Number(await scores.locator('tr[data-metric="bleu"] td.value').getAttribute('data-value'));
  expect(Math.abs(score - expected.result.score)).toBeLessThan(1e-9);
  await expect(scores.locator('tr[data-metric="bleu"] code.signature')).toHaveText(expected.result.signature);
  await expect(page.getByText(/\d+ Workers? ·/)).toBeVisible();
});
