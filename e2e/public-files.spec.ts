// public/: files the page serves as they are, from the dev server and from the app build.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const SAMPLE = 'samples/sentence-pairs.csv';

test('the dev server serves public/ at the site root, byte for byte', async ({ request }) => {
  const response = await request.get(`/${SAMPLE}`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^text\/csv/);
  expect(Buffer.from(await response.body()).equals(readFileSync(`public/${SAMPLE}`))).toBe(true);
});

test('the app build copies public/, and the library build leaves it out of the package', () => {
  expect(readFileSync(`dist-app/${SAMPLE}`).equals(readFileSync(`public/${SAMPLE}`))).toBe(true);
  expect(existsSync(`dist/${SAMPLE}`)).toBe(false);
});

test('the sample data is 200 prediction and reference pairs the csv loader reads', async ({ page }) => {
  await page.goto('/package.json');
  const summary = await page.evaluate(async (url) => {
    const { csv } = await import(/* @vite-ignore */ String('/src/plugins/data-loaders/index.ts'));
    const rows: { prediction: string; reference: string }[] = [];
    for await (const record of csv(url)) rows.push(record);
    return { rows: rows.length, keys: Object.keys(rows[0]!), same: rows.filter((row) => row.prediction === row.reference).length };
  }, `/${SAMPLE}`);
  expect(summary.rows).toBe(200);
  expect(summary.keys).toEqual(['prediction', 'reference']);
  expect(summary.same).toBeGreaterThan(0);
  expect(summary.same).toBeLessThan(200);
});
