// `npm run bench [-- --quick] [-- --only=loading,discovery,...] [-- --profile] [-- --csv-mb=N]`: every case beside its baseline, in one run.
// --csv-mb sets the size of the CSV the metrics-over-a-CSV case scores (default 1000 MB; 20 MB with --quick);
// --csv-workers=N, --csv-no-heap and --csv-trace are that case's other options (see bench/cases/csv-metrics.js).
// --profile adds one profiled repetition per case (bench/.work/profiles/) and the top functions to the entries.
// A full run writes bench/results.json and the table in docs/BENCHMARKS.md; --quick writes bench/.work/results-quick.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './lib/build.js';
import { notMeasured } from './lib/results.js';
import { renderTable, updateDocs } from './lib/report.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--profile');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const log = (line) => console.log(line);

const CASES = [
  { id: 'size', title: '5. Size', module: 'cases/size.js', run: 'runSize' },
  { id: 'discovery', title: '2. Discovery', module: 'cases/discovery.js', run: 'runDiscovery' },
  { id: 'loading', title: '1. Plugin loading', module: 'cases/plugin-loading.js', run: 'runPluginLoading' },
  { id: 'tracking', title: '3. Tracking', module: 'cases/tracking.js', run: 'runTracking' },
  { id: 'metrics', title: '4. Metrics', module: 'cases/metrics.js', run: 'runMetrics' },
  { id: 'csv', title: '4. exact_match over a CSV upload', module: 'cases/csv-exact-match.js', run: 'runCsvExactMatch' },
  { id: 'csv-metrics', title: '4. BLEU + chrF + ROUGE + exact_match over a big CSV, page vs CLI', module: 'cases/csv-metrics.js', run: 'runCsvMetrics' },
  { id: 'models', title: '6. Models', module: 'cases/models.js', run: 'runModels' },
  { id: 'mlflow', title: '7. Logging to an MLflow server', module: 'cases/mlflow-server.js', run: 'runMlflowServer' },
];

mkdirSync(work, { recursive: true });
const started = performance.now();
const startedAt = new Date().toISOString();
const loadAtStart = loadavg().map((value) => Number(value.toFixed(2)));
const build = ensureBuild(root, { log });
const entries = [];
for (const benchCase of CASES) {
  if (only && !only.includes(benchCase.id)) continue;
  log(`\n${benchCase.title}${quick ? ' (quick)' : ''}`);
  const caseStarted = performance.now();
  const output = join(work, `case-${benchCase.id}.json`);
  rmSync(output, { force: true });
  const child = spawnSync(process.execPath, [join(root, 'bench/lib/run-case.js'), benchCase.module, benchCase.run, output, ...(quick ? ['--quick'] : []), ...(profile ? ['--profile'] : []), ...args.filter((arg) => arg.startsWith('--csv-'))], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.stderr) process.stderr.write(child.stderr);
  if (child.status === 0 && existsSync(output)) {
    entries.push(...JSON.parse(readFileSync(output, 'utf8')));
  } else {
    const lines = (child.stderr ?? '').trim().split('\n');
    const reason = lines.find((line) => /Error|error:/.test(line)) ?? lines.at(-1) ?? `exit code ${child.status}`;
    entries.push(notMeasured({ caseName: benchCase.title, reason: `the case failed: ${reason.trim()}` }));
  }
  log(`  (${((performance.now() - caseStarted) / 1000).toFixed(1)} s)`);
}

const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: loadAtStart,
  loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))),
  note: '2 cores shared with other work (other engineers run tests on the same machine)',
};
const output = {
  date: startedAt,
  quick,
  machine,
  distStale: build.stale,
  seconds: Math.round((performance.now() - started) / 1000),
  entries,
};
const file = quick || only ? join(work, quick ? 'results-quick.json' : 'results-partial.json') : join(root, 'bench/results.json');
writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`);
writeFileSync(join(work, 'last-run.json'), `${JSON.stringify(output, null, 2)}\n`);
log(`\n${renderTable(entries)}`);
if (!quick && !only) updateDocs(join(root, 'docs/BENCHMARKS.md'), output, readFileSync);
log(`\nwrote ${file} (${output.seconds} s)`);
