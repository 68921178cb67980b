// The same metric plugins, loaded from the same manifest, give the same numbers in Chromium (on a file
// uploaded through the page) as the `plugboard` command line in Node.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const METRICS = ['bleu', 'chrf', 'rouge', 'exact_match', 'squad'];

/** A CSV with the traps: quoted commas and newlines, doubled quotes, accents, CJK, empty predictions. */
function makeCsv(rows: number): string {
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'café', 'naïve', '東京', 'U.S.', '3,000', "don't", 'well-known', '“quoted”', 'a', 'an'];
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const sentence = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => words[Math.floor(next() * words.length)]).join(' ');
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines = ['prediction,reference'];
  for (let row = 0; row < rows; row++) {
    const reference = sentence();
    const prediction = row % 17 === 0 ? '' : row % 5 === 0 ? reference : row % 11 === 0 ? `${sentence()}\n${sentence()}` : sentence();
    lines.push(`${quote(prediction)},${quote(reference)}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

test('a metric loaded from the manifest in Chromium gives the CLI’s numbers on the same uploaded file', async ({ page }) => {
  const directory = mkdtempSync(join(tmpdir(), 'plugboard-parity-'));
  const file = join(directory, 'pairs.csv');
  writeFileSync(file, makeCsv(3000));
  const cli = JSON.parse(
    execFileSync('node', ['dist/cli.js', 'eval', ...METRICS.flatMap((name) => ['--metric', name]), '--data', file], { encoding: 'utf8' }),
  );
  expect(cli.rows).toBe(3000);

  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'upload';
    document.body.append(input);
  });
  await page.setInputFiles('#upload', file);
  const inPage = await page.evaluate(async (metrics) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const file = (document.getElementById('upload') as HTMLInputElement).files![0]!;
    const loader = await host.load('codex_ml.data_loaders', 'csv');
    const accumulators = await Promise.all(metrics.map((name: string) => host.load('codex_ml.metrics', name)));
    const states = accumulators.map((metric: { init(): unknown }) => metric.init());
    let rows = 0;
    let batch: Array<Record<string, unknown>> = [];
    const flush = () => {
      const predictions = batch.map((record) => record['prediction']);
      const references = batch.map((record) => record['reference']);
      accumulators.forEach((metric: { update(s: unknown, b: unknown): unknown }, index: number) => {
        states[index] = metric.update(states[index], { predictions, references });
      });
      rows += batch.length;
      batch = [];
    };
    for await (const record of loader(file)) {
      batch.push(record);
      if (batch.length === 1000) flush();
    }
    flush();
    const results = Object.fromEntries(metrics.map((name: string, index: number) => [name, (accumulators[index] as { finalize(s: unknown): unknown }).finalize(states[index])]));
    return { rows, results };
  }, METRICS);

  expect(inPage.rows).toBe(cli.rows);
  expect(inPage.results).toEqual(cli.results);
  expect((cli.results.bleu as { score: number }).score).toBeGreaterThan(0);
});
