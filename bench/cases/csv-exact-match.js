// Case 4 (CSV) — exact_match over a 100 MB CSV upload, end to end in Workers (two, halves merged), against the
// floor: one Worker scanning the same bytes for line and field breaks with indexOf.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { alternate } from '../lib/alternate.js';
import { launchBrowser, watchPage } from '../lib/browser.js';
import { notMeasured, pairEntry } from '../lib/results.js';
import { startStaticServer } from '../lib/static-server.js';
import { writeCsv } from '../fixtures/csv-data.js';

const PAGE = '<!doctype html><meta charset="utf-8"><input type="file" id="upload"><script type="module" src="/bench/csv-page.js"></script>';

/** Runs the CSV case and resolves with its one entry. */
export async function runCsvExactMatch({ root, work, quick, log }) {
  const megabytes = quick ? 5 : 100;
  const caseName = `exact_match over a ${megabytes} MB CSV upload, end to end in 2 Workers`;
  for (const file of ['dist/plugins/data-loaders/csv.js', 'dist/plugins/metrics/exact-match.js']) {
    if (!existsSync(join(root, file))) return [notMeasured({ caseName, baselineName: 'indexOf scanner in a Worker', target: 'ratio ≤ 2', reason: `${file} is not built` })];
  }
  const folder = join(work, 'csv');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `upload-v1-${megabytes}MB.csv`);
  const expected = writeCsv(file, megabytes * 1e6);
  log(`  ${file.slice(root.length)}: ${expected.rows.toLocaleString('en')} rows, ${expected.matches.toLocaleString('en')} exact matches`);

  const app = await startStaticServer({ mounts: { '/bench/': join(root, 'bench/pages') }, workerMounts: { '/worker-dist/': join(root, 'dist') }, routes: { '/csv.html': { type: 'text/html', body: PAGE } } });
  const browser = await launchBrowser();
  const page = await (await browser.newContext()).newPage();
  watchPage(page, 'csv');
  page.setDefaultTimeout(300_000);
  try {
    await page.goto(`${app.origin}/csv.html`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.setInputFiles('#upload', file);
    const samples = await alternate(
      ['plugboard', 'floor'].map((side) => ({ name: side, run: () => page.evaluate((s) => window.runCsv(s), side) })),
      { reps: quick ? 2 : 5, warmup: 1 },
    );
    const mbps = (ms) => `${(expected.bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
    const entry = pairEntry({
      caseName,
      n: expected.rows,
      plugboard: samples.plugboard,
      baseline: samples.floor,
      baselineName: 'one Worker scanning for line and field breaks with indexOf (floor)',
      maxRatio: 2,
      targetText: 'ratio ≤ 2 (≥ 0.5× the floor’s MB/s)',
      compare: (mine, floor) => {
        if (mine.rows !== floor.rows) return `rows: Plugboard parsed ${mine.rows}, the floor counted ${floor.rows} line breaks after the header`;
        if (mine.rows !== expected.rows || mine.matches !== expected.matches) return `Plugboard found ${mine.matches}/${mine.rows}, the generator wrote ${expected.matches}/${expected.rows}`;
        return null;
      },
      extra: { bytes: expected.bytes, workers: samples.plugboard.answers[0].workers, exactMatch: samples.plugboard.answers[0].exactMatch, environment: 'Chromium, File from <input type=file>' },
    });
    entry.rate = `${mbps(entry.plugboard)} vs ${mbps(entry.baseline)}`;
    log(`  Plugboard ${entry.plugboard} ms (${mbps(entry.plugboard)}) vs floor ${entry.baseline} ms (${mbps(entry.baseline)}) → ${entry.ratio ?? entry.mismatch}`);
    return [entry];
  } finally {
    await browser.close();
    await app.close();
  }
}
