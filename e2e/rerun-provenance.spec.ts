// Re-run checks every module that produced a run, not only each plugin's entry: when a module a metric imports
// is served with other bytes, Re-run refuses and names that module with the digest then and now.
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDN } from '../playwright.config.ts';
import { publishWeightedMatch, putOnCdn as put, weightModule } from './mutable-cdn.ts';

const sha384 = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;


test('Re-run refuses when a module a metric imports changed on the CDN, naming it with both digests', async ({ page }) => {
  test.setTimeout(90_000);
  const { base, manifestUrl, weightUrl } = await publishWeightedMatch('rerun', 1);
  const before = weightModule(1);

  const file = join(mkdtempSync(join(tmpdir(), 'plugboard-rerun-')), 'pairs.csv');
  writeFileSync(file, 'prediction,reference\na,a\nb,c\n');
  await page.goto(`/?manifest=${encodeURIComponent(manifestUrl)}`);
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('combobox', { name: /prediction/i }).selectOption('prediction');
  await page.getByRole('combobox', { name: /reference/i }).selectOption('reference');
  for (const name of ['bleu', 'chrf']) await page.getByRole('checkbox', { name, exact: true }).uncheck();
  await page.getByRole('checkbox', { name: 'weighted_match', exact: true }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const scores = page.getByRole('table', { name: 'Scores' });
  await expect(scores.locator('tr[data-metric="weighted_match"] td.value')).toHaveAttribute('data-value', '0.5', { timeout: 30_000 });
  const runId = (await page.locator('code.run-id').textContent())!;

  // Unchanged: Re-run goes ahead with the same bytes.
  await page.getByRole('tab', { name: 'Runs' }).click();
  const row = page.locator(`tr[data-run="${runId}"]`);
  await row.getByRole('button', { name: /^Re-run / }).click();
  await expect(page.locator('p.message')).toContainText('with the same file and plugin bytes: the same scores', { timeout: 30_000 });

  // The imported module changes on the CDN; a later visit re-runs the recorded run.
  const after = weightModule(2);
  await put(`${base}/weight.js`, after);
  await page.reload();
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.locator(`tr[data-run="${runId}"]`).getByRole('button', { name: /^Re-run / }).click();
  const message = page.locator('p.message');
  await expect(message).toContainText('Not re-run:', { timeout: 30_000 });
  await expect(message).toContainText(`codex_ml.metrics/weighted_match: module ${weightUrl}, which it imports, changed (${sha384(before)} then, ${sha384(after)} now)`);
  await expect(message).toContainText('serve those bytes at those URLs again');
  // Nothing ran: no new run was logged.
  await expect(page.locator('tr[data-run]')).toHaveCount(2);
});

test('Re-run refuses when a file of the model a metric ran has other bytes than the run recorded, naming the file with both digests', async ({ page }) => {
  test.setTimeout(180_000);
  const fixture = new URL('../src/plugins/models/fixtures/tiny-gpt2/', import.meta.url);
  const base = `/mutable/rerun-model-${Date.now()}/tiny-gpt2`;
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
    const response = await fetch(`${CDN}${base}/${file}`, { method: 'PUT', body: readFileSync(new URL(file, fixture)) });
    expect(response.status).toBe(204);
  }
  const texts = (JSON.parse(readFileSync(new URL('../src/plugins/models/fixtures/reference.json', import.meta.url), 'utf8'))['tiny-gpt2'].texts as string[]);
  const file = join(mkdtempSync(join(tmpdir(), 'plugboard-rerun-model-')), 'texts.jsonl');
  writeFileSync(file, texts.map((text) => JSON.stringify({ prediction: text, reference: text })).join('\n') + '\n');

  // The evaluation runs ppl with the model from the second origin, in the app's Workers.
  await page.goto('/');
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('combobox', { name: /prediction/i }).selectOption('prediction');
  await page.getByRole('combobox', { name: /reference/i }).selectOption('reference');
  for (const name of ['bleu', 'chrf']) await page.getByRole('checkbox', { name, exact: true }).uncheck();
  await page.getByRole('checkbox', { name: 'ppl', exact: true }).check();
  const modelId = page.getByRole('group', { name: 'ppl options' }).getByRole('textbox', { name: 'model_id' });
  await modelId.fill(`${CDN}${base}`);
  await modelId.press('Tab');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('code.run-id')).toBeVisible({ timeout: 90_000 });
  const runId = (await page.locator('code.run-id').textContent())!;
  const rerun = async () => {
    await page.reload();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.locator(`tr[data-run="${runId}"]`).getByRole('button', { name: /^Re-run / }).click();
  };
  const message = page.locator('p.message');

  // The model's host changes config.json; this browser's model cache still holds the bytes that ran, and a re-run
  // here reads those, so it goes ahead.
  const before = readFileSync(new URL('config.json', fixture), 'utf8');
  const after = `${before}\n`;
  await put(`${base}/config.json`, after);
  await rerun();
  await expect(message).toContainText('with the same file and plugin bytes', { timeout: 90_000 });

  // In a browser whose cache does not hold them, the host's bytes are what would run: Re-run refuses, naming the file.
  await page.evaluate(() => caches.delete('plugboard-models'));
  await rerun();
  await expect(message).toContainText('Not re-run:', { timeout: 60_000 });
  await expect(message).toContainText(`codex_ml.metrics/ppl: model file ${CDN}${base}/config.json (config.json of the gpt2 model at ${CDN}${base}/), which it ran, changed (${sha384(before)} then, ${sha384(after)} now)`);
  await expect(message).toContainText('serve those bytes at those URLs again');
  // Only the re-run that went ahead was logged.
  await expect(page.locator('tr[data-run]')).toHaveCount(2);
});
