// Case 4 (CSV, speed of the analyst app) — BLEU + chrF + ROUGE + exact_match over a big CSV of
// prediction/reference pairs: in the page (the app's host, Workers on all cores) against the CLI
// (`dist/cli.js eval`) on the same file, with scores checked equal to 1e-9 in the same run. Also reported:
// the page's peak JS heap (page plus Workers, sampled over CDP), main-thread long tasks, and the time from the
// evaluate call to the first progress update.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, watchPage } from '../lib/browser.js';
import { notMeasured } from '../lib/results.js';
import { startStaticServer } from '../lib/static-server.js';
import { writeCsv } from '../fixtures/csv-data.js';

const METRICS = ['bleu', 'chrf', 'rouge', 'exact_match'];
const PAGE = '<!doctype html><meta charset="utf-8"><input type="file" id="upload"><script type="module" src="/bench/csv-metrics.js"></script>';
const TOLERANCE = 1e-9;

/** Every number in `a` and `b` at the same path, or the first path where they differ by more than the tolerance. */
function firstDifference(a, b, path = 'scores') {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= TOLERANCE || (Number.isNaN(a) && Number.isNaN(b)) ? null : `${path}: page ${a}, CLI ${b}`;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : `${path}: page ${JSON.stringify(a)}, CLI ${JSON.stringify(b)}`;
}

/** Runs `plugboard eval` on the file and resolves with its wall time (process start to exit) and its JSON output. */
function runCli(root, file) {
  const env = { ...process.env };
  delete env.MLFLOW_TRACKING_URI;
  const args = [join(root, 'dist/cli.js'), 'eval', '--data', file, ...METRICS.flatMap((metric) => ['--metric', metric])];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`plugboard eval exited with ${code}: ${stderr.trim().split('\n').at(-1)}`));
      else resolve({ ms, output: JSON.parse(stdout) });
    });
  });
}

/**
 * Samples the JS heap of the page (Performance.getMetrics) and of each of its dedicated Workers
 * (Runtime.getHeapUsage through Target auto-attach) every `everyMs`, and keeps the peak of their sum.
 */
async function heapSampler(context, page, everyMs = 100) {
  const session = await context.newCDPSession(page);
  await session.send('Performance.enable');
  const workers = new Map();
  const pending = new Map();
  let nextId = 1;
  session.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    if (targetInfo.type === 'worker') workers.set(sessionId, 0);
  });
  session.on('Target.detachedFromTarget', ({ sessionId }) => workers.delete(sessionId));
  session.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const reply = JSON.parse(message);
    const resolve = pending.get(reply.id);
    if (resolve) {
      pending.delete(reply.id);
      resolve(reply.result?.usedSize ?? 0);
    }
    void sessionId;
  });
  await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const workerHeap = (sessionId) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => resolve(0));
      setTimeout(() => pending.has(id) && (pending.delete(id), resolve(0)), 1000);
    });
  let peak = { total: 0, page: 0, workers: 0, workerCount: 0 };
  let sampledWorkers = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { metrics } = await session.send('Performance.getMetrics');
        const pageHeap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
        const heaps = await Promise.all([...workers.keys()].map(workerHeap));
        const workerSum = heaps.reduce((sum, value) => sum + value, 0);
        sampledWorkers = Math.max(sampledWorkers, heaps.filter((value) => value > 0).length);
        if (pageHeap + workerSum > peak.total) peak = { total: pageHeap + workerSum, page: pageHeap, workers: workerSum, workerCount: heaps.length };
      } catch {
        // The page is between states; the next sample counts.
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    reset: () => (peak = { total: 0, page: 0, workers: 0, workerCount: 0 }),
    stop: async () => {
      running = false;
      await loop;
      await session.detach().catch(() => undefined);
      return { ...peak, sampledWorkers };
    },
    peek: () => ({ ...peak, sampledWorkers }),
  };
}

/**
 * Reads a Chromium trace and describes each task over 50 ms on the renderer's main thread: wall time, the
 * thread's CPU time within it (`tdur`), and the longest events inside it.
 */
function describeLongTasks(path) {
  const { traceEvents } = JSON.parse(readFileSync(path, 'utf8'));
  const mainThreads = new Set(traceEvents.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
  const onMain = traceEvents.filter((event) => mainThreads.has(`${event.pid}:${event.tid}`) && event.ph === 'X');
  const tasks = onMain.filter((event) => event.name.endsWith('RunTask') && event.dur > 50_000);
  return tasks.map((task) => {
    const inside = onMain
      .filter((event) => event !== task && event.ts >= task.ts && event.ts + (event.dur ?? 0) <= task.ts + task.dur)
      .sort((a, b) => b.dur - a.dur)
      .slice(0, 4)
      .map((event) => `${event.name} ${(event.dur / 1000).toFixed(1)} ms wall / ${event.tdur === undefined ? '?' : (event.tdur / 1000).toFixed(1)} ms CPU`);
    return `task ${(task.dur / 1000).toFixed(1)} ms wall / ${task.tdur === undefined ? '?' : (task.tdur / 1000).toFixed(1)} ms CPU; inside: ${inside.join('; ') || 'nothing traced'}`;
  });
}

/**
 * Seconds of CPU time the machine's hypervisor took from this machine so far (the `steal` column of
 * /proc/stat, summed over CPUs), or undefined where there is no /proc/stat.
 */
function stolenSeconds() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return Number(fields[8]) / 100;
  } catch {
    return undefined;
  }
}

/** Runs the case and resolves with its one entry. */
export async function runCsvMetrics({ root, work, quick, flags = [], log }) {
  const sizeFlag = flags.find((flag) => flag.startsWith('--csv-mb='));
  const megabytes = sizeFlag ? Number(sizeFlag.slice('--csv-mb='.length)) : quick ? 20 : 1000;
  // Workers in the page: every core by default (`--csv-workers=N` to compare, e.g. one per core but one, as the app's default).
  const workersFlag = flags.find((flag) => flag.startsWith('--csv-workers='));
  const workers = workersFlag ? Number(workersFlag.slice('--csv-workers='.length)) : cpus().length;
  // `--csv-no-heap` leaves the heap sampler out, to see what its CDP calls cost the page's main thread.
  const sampleHeap = !flags.includes('--csv-no-heap');
  // `--csv-trace` records a Chromium trace of the scored run and reports, for each main-thread task over 50 ms,
  // its wall time beside the thread's own CPU time in it (a task that ran little but took long was descheduled).
  const trace = flags.includes('--csv-trace');
  const caseName = `BLEU + chrF + ROUGE + exact_match over a ${megabytes} MB CSV: page (${workersFlag ? `${workers} Workers` : 'Workers on all cores'}) vs CLI`;
  for (const file of ['dist/index.js', 'dist/worker.js', 'dist/cli.js']) {
    if (!existsSync(join(root, file))) return [notMeasured({ caseName, baselineName: 'plugboard eval (CLI)', target: 'ratio ≥ 0.9', reason: `${file} is not built` })];
  }
  const folder = join(work, 'csv');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `upload-v1-${megabytes}MB.csv`);
  const generated = writeCsv(file, megabytes * 1e6);
  log(`  ${file.slice(root.length)}: ${generated.rows.toLocaleString('en')} rows; load ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${cpus().length} cores`);

  const cli = await runCli(root, file);
  log(`  CLI: ${(cli.ms / 1000).toFixed(1)} s (${(generated.bytes / 1e6 / (cli.ms / 1000)).toFixed(1)} MB/s, process start to exit)`);

  const app = await startStaticServer({ mounts: { '/bench/': join(root, 'bench/pages'), '/dist/': join(root, 'dist'), '/assets/': join(root, 'dist/assets') }, routes: { '/csv-metrics.html': { type: 'text/html', body: PAGE } } });
  const browser = await launchBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  watchPage(page, 'csv-metrics');
  page.setDefaultTimeout(3_600_000);
  try {
    await page.goto(`${app.origin}/csv-metrics.html`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.setInputFiles('#upload', file);
    // A first Run with nothing readied, stopped at its first progress update (what an embedder calling evaluate cold sees).
    const coldFirstProgressMs = await page.evaluate(([metrics, count]) => window.coldFirstProgress(metrics, count), [METRICS, workers]);
    // Then as in the app: the Workers are readied while the person picks columns and metrics, and "Run" is pressed.
    const prepareMs = await page.evaluate(([metrics, count]) => window.prepareMetrics(metrics, count), [METRICS, workers]);
    const sampler = sampleHeap ? await heapSampler(context, page) : null;
    const tracePath = join(folder, 'csv-metrics-trace.json');
    if (trace) await browser.startTracing(page, { path: tracePath, categories: ['toplevel', 'devtools.timeline', 'v8', 'disabled-by-default-v8.gc'] });
    const stolenBefore = stolenSeconds();
    const inPage = await page.evaluate(([metrics, count]) => window.runMetrics(metrics, count), [METRICS, workers]);
    const stolen = stolenBefore === undefined ? undefined : stolenSeconds() - stolenBefore;
    if (trace) {
      await browser.stopTracing();
      for (const line of describeLongTasks(tracePath)) log(`  trace: ${line}`);
    }
    const heap = sampler ? await sampler.stop() : { total: Number.NaN, page: Number.NaN, workers: Number.NaN, workerCount: 0 };
    const mismatch = inPage.rows !== cli.output.rows ? `rows: page ${inPage.rows}, CLI ${cli.output.rows}` : firstDifference(inPage.scores, cli.output.results);
    const ratio = cli.ms / inPage.ms;
    const mb = (bytes) => Math.round(bytes / 2 ** 20);
    const longest = Math.max(0, ...inPage.longTasks.map((task) => task.ms));
    log(`  page: ${(inPage.ms / 1000).toFixed(1)} s (${(generated.bytes / 1e6 / (inPage.ms / 1000)).toFixed(1)} MB/s) in ${inPage.workers} Workers → ${ratio.toFixed(2)}× the CLI's throughput`);
    log(`  first progress ${inPage.firstProgressMs?.toFixed(0)} ms after Run with the Workers readied (readying took ${prepareMs.toFixed(0)} ms); with nothing readied ${coldFirstProgressMs?.toFixed(0)} ms; ${inPage.updates} updates; long tasks > 50 ms: ${inPage.longTasks.length} (longest ${longest} ms)${inPage.longTasks.length ? `: ${inPage.longTasks.map((task) => `${task.ms} ms at +${task.at} ms`).join(', ')}` : ''}`);
    if (stolen !== undefined) log(`  CPU time the hypervisor took from this machine while the page scored: ${stolen.toFixed(1)} s of ${((inPage.ms / 1000) * cpus().length).toFixed(0)} s`);
    log(sampler ? `  peak JS heap ${mb(heap.total)} MiB (page ${mb(heap.page)} + ${heap.workerCount} Workers ${mb(heap.workers)})` : '  peak JS heap not sampled (--csv-no-heap)');
    log(`  scores ${mismatch ? `DIFFER: ${mismatch}` : `equal to the CLI's (to ${TOLERANCE})`}: ${METRICS.map((metric) => `${metric} ${JSON.stringify(cli.output.results[metric]).slice(0, 60)}`).join('; ')}`);
    const failures = [];
    if (mismatch) failures.push('scores differ');
    if (ratio < 0.9) failures.push('throughput < 0.9× CLI');
    if (!sampler) failures.push('heap not sampled (--csv-no-heap)');
    else if (heap.total > 512 * 2 ** 20) failures.push('heap > 512 MiB');
    if (inPage.longTasks.length > 0) failures.push('long tasks');
    if (!(inPage.firstProgressMs <= 200)) failures.push('first progress > 200 ms');
    return [
      {
        case: caseName,
        n: generated.rows,
        plugboard: Math.round(inPage.ms),
        baseline: Math.round(cli.ms),
        baselineName: '`plugboard eval` (dist/cli.js, one Node process, wall time incl. start-up)',
        ratio: Number((inPage.ms / cli.ms).toFixed(3)),
        throughputRatio: Number(ratio.toFixed(2)),
        rate: `${(generated.bytes / 1e6 / (inPage.ms / 1000)).toFixed(1)} MB/s vs CLI ${(generated.bytes / 1e6 / (cli.ms / 1000)).toFixed(1)} MB/s`,
        target: 'time ratio ≤ 1.11 (page ≥ 0.9× CLI throughput); peak JS heap ≤ 512 MiB; no long task > 50 ms; first progress ≤ 200 ms',
        met: failures.length === 0,
        ...(mismatch ? { mismatch } : {}),
        failures,
        bytes: generated.bytes,
        workers: inPage.workers,
        firstProgressMs: Math.round(inPage.firstProgressMs ?? -1),
        firstProgressColdMs: Math.round(coldFirstProgressMs ?? -1),
        prepareMs: Math.round(prepareMs),
        progressUpdates: inPage.updates,
        longTasks: inPage.longTasks.length,
        longestTaskMs: longest,
        longTaskTimes: inPage.longTasks,
        peakHeapMiB: { total: mb(heap.total), page: mb(heap.page), workers: mb(heap.workers), workerCount: heap.workerCount },
        memoryMethod: 'CDP Performance.getMetrics JSHeapUsedSize (page) + Runtime.getHeapUsage usedSize per dedicated Worker, sampled every 100 ms',
        scores: cli.output.results,
        ...(stolen === undefined ? {} : { stolenCpuSeconds: Number(stolen.toFixed(1)) }),
        loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
      },
    ];
  } finally {
    await browser.close();
    await app.close();
  }
}
