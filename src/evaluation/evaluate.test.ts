import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { bleu, chrf, computeMetric, exactMatch } from '../plugins/metrics/index.ts';
import { memoryInstalledPlugins } from '../lifecycle/index.ts';
import type { WorkerPlan, WorkerWarmUp } from './index.ts';

const ROWS = [
  { prediction: 'the cat sat on the mat', reference: 'the cat sat on the mat' },
  { prediction: 'a dog ran in the park', reference: 'the dog ran through the park' },
  { prediction: 'hello there world', reference: 'hello world' },
];
const { version: VERSION } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const csvOf = (rows: { prediction: unknown; reference: unknown }[]) => `prediction,reference\n${rows.map((row) => `${row.prediction},${row.reference}`).join('\n')}\n`;

async function host() {
  return createHost({ environment: sourceEnvironment() });
}

describe('host.evaluate', () => {
  it('scores records with every metric asked for, as computing each metric directly does', async () => {
    const result = await (await host()).evaluate({ source: ROWS, metrics: ['bleu', 'chrf', 'exact_match'], batchSize: 2 });
    const predictions = ROWS.map((row) => row.prediction);
    const references = ROWS.map((row) => row.reference);
    expect(result.scores).toEqual({
      bleu: await computeMetric(bleu, predictions, references),
      chrf: await computeMetric(chrf, predictions, references),
      exact_match: await computeMetric(exactMatch, predictions, references),
    });
    expect({ rows: result.rows, skipped: result.skipped, loader: result.loader }).toEqual({ rows: 3, skipped: 0, loader: undefined });
  });

  it('awaits a metric\u2019s prepare before scoring (bleu\u2019s flores tokenizer loads its SentencePiece model there)', async () => {
    const spmModel = fileURLToPath(new URL('../plugins/metrics/fixtures/flores200-stand-in.model', import.meta.url));
    const result = await (await host()).evaluate({ source: ROWS, metrics: { bleu: { tokenize: 'flores200', spm_model: spmModel } } });
    expect((result.scores.bleu as { signature: string }).signature).toBe('nrefs:1|case:mixed|eff:no|tok:flores200|smooth:exp|version:2.6.0');
  });

  it('chooses the loader from a File name, reports progress in rows and bytes, and passes metric options', async () => {
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    const progress: { rows: number; bytes: number; totalBytes?: number }[] = [];
    const result = await (await host()).evaluate({ source: file, metrics: { exact_match: { ignore_case: true } }, batchSize: 1, onProgress: (p) => progress.push(p) });
    expect(result.loader).toBe('csv');
    expect(result.sourceName).toBe('pairs.csv');
    expect(result.options).toEqual({ exact_match: { ignore_case: true } });
    expect(progress.map((p) => p.rows)).toEqual([0, 1, 2, 3]);
    expect(progress.at(-1)).toEqual({ rows: 3, bytes: file.size, totalBytes: file.size });
  });

  it('records the URL, package version and SHA-384 of the bytes of every plugin that ran', async () => {
    const result = await (await host()).evaluate({ source: new File([csvOf(ROWS)], 'pairs.csv'), metrics: ['bleu'] });
    expect(result.provenance.map((p) => `${p.group}/${p.name}`)).toEqual(['codex_ml.data_loaders/csv', 'codex_ml.metrics/bleu']);
    for (const record of result.provenance) {
      expect(record.version).toBe(VERSION);
      const bytes = readFileSync(fileURLToPath(record.url));
      expect(record.sha384).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
    }
  });

  it('records every module a plugin imports with the SHA-384 of its bytes, and the tokenizer plugin bleu imports on demand', async () => {
    const result = await (await host()).evaluate({ source: ROWS, metrics: ['bleu'] });
    const modules = result.provenance[0]!.modules!;
    const digestOfFile = (url: string) => `sha384-${createHash('sha384').update(readFileSync(fileURLToPath(url))).digest('base64')}`;
    // The modules that ran with bleu: its statistics, its tokenizer, the SDK it imports by its bare name.
    for (const file of ['plugins/metrics/bleu-statistics.ts', 'plugins/metrics/text/tokenize-13a.ts', 'sdk/index.ts']) {
      const url = new URL(`../${file}`, import.meta.url).href;
      expect(modules.find((module) => module.url === url)).toEqual({ url, sha384: digestOfFile(url) });
    }
    // The SentencePiece tokenizer plugin, which bleu imports for tokenize "flores101"/"flores200".
    const spm = new URL('../plugins/tokenizers/sentencepiece.ts', import.meta.url).href;
    expect(modules.find((module) => module.url === spm)).toEqual({ url: spm, sha384: digestOfFile(spm), onDemand: true, plugin: 'codex_ml.tokenizers/sentencepiece' });
    for (const module of modules) if (module.url.startsWith('file:')) expect(module.sha384).toBe(digestOfFile(module.url));
  });

  it('skips and counts rows whose prediction or reference is null or missing when asked, and only then', async () => {
    const rows = [ROWS[0]!, { prediction: null, reference: 'x' }, ROWS[1]!, { reference: 'y' }, { prediction: 'z', reference: null }, ROWS[2]!];
    const h = await host();
    const result = await h.evaluate({ source: rows as never, metrics: ['bleu'], skipInvalid: true });
    expect({ rows: result.rows, skipped: result.skipped }).toEqual({ rows: 3, skipped: 3 });
    expect(result.scores['bleu']).toEqual((await h.evaluate({ source: ROWS, metrics: ['bleu'] })).scores['bleu']);
    expect(result.skippedExamples.map((example) => [example.row, example.field])).toEqual([[2, 'prediction'], [4, 'prediction'], [5, 'reference']]);
    await expect(h.evaluate({ source: rows as never, metrics: ['bleu'] })).rejects.toMatchObject({ code: 'METRIC_INPUT', plugin: 'bleu', row: 2, field: 'prediction' });
  });

  it('names the line, row and field of a record without the chosen column', async () => {
    const file = new File(['prediction,reference\na,a\nb,b\nc,c\n'], 'abc.csv');
    const h = await host();
    await expect(h.evaluate({ source: file, columns: { prediction: 'reference', reference: 'nope' }, metrics: ['exact_match'], batchSize: 1 })).rejects.toMatchObject({
      code: 'RECORD_FIELD_MISSING',
      source: 'abc.csv',
      line: 2,
      row: 1,
      field: 'nope',
    });
  });

  it('chooses no loader it cannot tell, and says which extensions it knows', async () => {
    await expect((await host()).evaluate({ source: new File(['x'], 'data.xyz'), metrics: ['bleu'] })).rejects.toMatchObject({ code: 'UNKNOWN_DATA_FORMAT', problem: expect.stringContaining('.csv') });
  });

  it('stops with the signal’s reason when aborted', async () => {
    const controller = new AbortController();
    const file = new File([csvOf(Array.from({ length: 5000 }, () => ROWS[0]!))], 'many.csv');
    const pending = (await host()).evaluate({ source: file, metrics: ['bleu'], batchSize: 10, signal: controller.signal, onProgress: (p) => p.rows >= 100 && controller.abort(new Error('stopped by the person')) });
    await expect(pending).rejects.toThrow('stopped by the person');
  });

  it('logs the evaluation as a run: params, metrics, provenance tags, dataset and artifacts', async () => {
    const h = await host();
    const uri = `idb://evaluate-${Math.random().toString(36).slice(2)}`;
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    const result = await h.evaluate({ source: file, metrics: { bleu: { lowercase: true } }, log: { trackingUri: uri, runName: 'first' } });
    const store = await h.trackingStore(uri);
    const run = await store.getRun(result.runId!);
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ source: 'pairs.csv', bytes: String(file.size), rows: '3', skipped: '0', loader: 'csv', 'columns.prediction': 'prediction', 'bleu.lowercase': 'true' });
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics['bleu']).toBe((result.scores['bleu'] as { score: number }).score);
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    expect(JSON.parse(tags['plugboard.provenance.codex_ml.metrics.bleu']!)).toEqual({ url: result.provenance[1]!.url, version: VERSION, sha384: result.provenance[1]!.sha384 });
    const sha256 = createHash('sha256').update(csvOf(ROWS)).digest('hex');
    expect(Object.keys(tags).filter((key) => key.startsWith('mlflow.dataset'))).toEqual([]);
    expect(run.inputs?.datasetInputs).toEqual([
      {
        dataset: {
          name: 'pairs.csv',
          digest: sha256.slice(0, 36),
          sourceType: 'upload',
          source: JSON.stringify({ name: 'pairs.csv', bytes: file.size, digest: `sha256:${sha256}` }),
          schema: JSON.stringify({ columns: ['prediction', 'reference'], loader: 'csv' }),
          profile: JSON.stringify({ num_rows: 3, skipped: 0 }),
        },
        tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
      },
    ]);
    expect(run.info.status).toBe('FINISHED');
    const artifacts = await h.artifactRepository(run.info.artifactUri);
    expect((await artifacts.listArtifacts()).map((entry) => entry.path).sort()).toEqual(['data', 'results.json']);
    const saved = await artifacts.downloadArtifact('data/pairs.csv');
    expect(await saved.text()).toBe(csvOf(ROWS));
  });
});

describe('logEvaluation', () => {
  it('keeps the dataset input as a dataset.json artifact for a store without logInputs', async () => {
    const { logEvaluation } = await import('./log-evaluation.ts');
    const artifacts: Record<string, string> = {};
    const tracking = {
      startRun: async () => ({ info: { runId: 'r1' } }),
      logParams: async () => undefined,
      logMetrics: async () => undefined,
      setTags: async () => undefined,
      logArtifact: async (blob: Blob, path: string) => void (artifacts[path] = await blob.text()),
      endRun: async () => undefined,
      store: async () => ({}),
    };
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    const result = await (await host()).evaluate({ source: file, metrics: ['exact_match'] });
    await logEvaluation(tracking, result, file, {});
    expect(Object.keys(artifacts).sort()).toEqual(['data/pairs.csv', 'dataset.json', 'results.json']);
    expect(JSON.parse(artifacts['dataset.json']!)).toMatchObject({ dataset: { name: 'pairs.csv', digest: createHash('sha256').update(csvOf(ROWS)).digest('hex').slice(0, 36) }, tags: [{ key: 'mlflow.data.context', value: 'evaluation' }] });
  });

  it('gives a store that records dataset inputs the file as the run’s input, its digest cut to the 36 characters MLflow keeps', async () => {
    const { logEvaluation } = await import('./log-evaluation.ts');
    const inputs: unknown[] = [];
    const tracking = {
      startRun: async () => ({ info: { runId: 'r1' } }),
      logParams: async () => undefined,
      logMetrics: async () => undefined,
      setTags: async () => undefined,
      logArtifact: async () => undefined,
      endRun: async () => undefined,
      store: async () => ({ logInputs: async (runId: string, datasets: unknown[]) => void inputs.push({ runId, datasets }) }),
    };
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    const result = await (await host()).evaluate({ source: file, metrics: ['exact_match'] });
    expect(await logEvaluation(tracking, result, file, {})).toBe('r1');
    expect(inputs).toEqual([
      {
        runId: 'r1',
        datasets: [{ dataset: expect.objectContaining({ name: 'pairs.csv', digest: createHash('sha256').update(csvOf(ROWS)).digest('hex').slice(0, 36), sourceType: 'upload' }), tags: [{ key: 'mlflow.data.context', value: 'evaluation' }] }],
      },
    ]);
  });
});

describe('host.evaluate with Workers', () => {
  it('scores in the page, and says why, when the Workers cannot import the plugins', async () => {
    const { PlugboardError } = await import('../errors/index.ts');
    const plans: unknown[] = [];
    const h = await createHost({
      environment: sourceEnvironment(),
      scoreInWorkers: async (plan) => {
        plans.push(plan);
        throw new PlugboardError({ code: 'WORKER_IMPORT_FAILED', problem: 'the evaluation Worker could not import the plugin: blocked' });
      },
    });
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    const result = await h.evaluate({ source: file, metrics: ['bleu'], workers: 2 });
    expect(plans).toHaveLength(1);
    expect({ workers: result.workers, workersUnavailable: result.workersUnavailable, rows: result.rows }).toEqual({ workers: 0, workersUnavailable: 'the evaluation Worker could not import the plugin: blocked', rows: 3 });
    expect(result.scores['bleu']).toEqual((await h.evaluate({ source: ROWS, metrics: ['bleu'] })).scores['bleu']);
  });

  it('rejects naming why, instead of scoring in the page, when Workers that cannot start were required', async () => {
    const { PlugboardError } = await import('../errors/index.ts');
    const h = await createHost({
      environment: sourceEnvironment(),
      scoreInWorkers: async () => {
        throw new PlugboardError({ code: 'WORKER_IMPORT_FAILED', problem: 'the evaluation Worker failed to start: the browser gave no reason' });
      },
    });
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    await expect(h.evaluate({ source: file, metrics: ['bleu'], workers: 2, workersRequired: true })).rejects.toMatchObject({
      code: 'WORKERS_UNAVAILABLE',
      problem: '2 Workers were required to score pairs.csv, and they could not start: the evaluation Worker failed to start: the browser gave no reason',
      hint: expect.stringContaining('workersRequired'),
    });
  });

  it('hands the Workers the plugins’ URLs, exports and recorded digests, and merges the states they return in order', async () => {
    const h = await createHost({
      environment: sourceEnvironment(),
      scoreInWorkers: async (plan) => {
        expect(plan.loader).toMatchObject({ name: 'csv', export: 'csv', integrity: expect.stringMatching(/^sha384-/) });
        expect(plan.metrics.map((metric) => [metric.name, metric.export])).toEqual([['exact_match', 'exactMatch']]);
        expect(plan.imports['plugboard/sdk']).toBeTruthy();
        const metric = (await h.load('codex_ml.metrics', 'exact_match')) as { init(): unknown; update(s: unknown, b: unknown): unknown };
        const half = (rows: typeof ROWS) => metric.update(metric.init(), { predictions: rows.map((r) => r.prediction), references: rows.map((r) => r.reference) });
        return { states: { exact_match: [half(ROWS.slice(0, 1)), half(ROWS.slice(1))] }, rows: 3, skipped: 0, skippedExamples: [], workers: 2 };
      },
    });
    const result = await h.evaluate({ source: new File([csvOf(ROWS)], 'pairs.csv'), metrics: ['exact_match'], workers: 2 });
    expect(result.workers).toBe(2);
    expect(result.scores['exact_match']).toEqual((await h.evaluate({ source: ROWS, metrics: ['exact_match'] })).scores['exact_match']);
  });

  it('asks the Workers to finalize too, and takes the scores they return without finishing any metric in this thread', async () => {
    const h = await createHost({
      environment: sourceEnvironment(),
      scoreInWorkers: async (plan) => {
        expect(plan.finalize).toBe(true);
        // A state this thread could not finalize: were it merged and finished here, the evaluation would reject.
        return { states: { exact_match: [{ not: 'a state' }] }, scores: { exact_match: { exact_match: 0.25 } }, rows: 3, skipped: 0, skippedExamples: [], workers: 1 };
      },
    });
    const result = await h.evaluate({ source: new File([csvOf(ROWS)], 'pairs.csv'), metrics: ['exact_match'], workers: 1 });
    expect({ scores: result.scores, rows: result.rows, workers: result.workers }).toEqual({ scores: { exact_match: { exact_match: 0.25 } }, rows: 3, workers: 1 });
  });

  it('readies Workers before a run: prepareEvaluation hands the scorer the loader and the known metrics with their digests, and never rejects', async () => {
    const warmUps: WorkerWarmUp[] = [];
    const scorer = Object.assign(async (): Promise<never> => {
      throw new Error('not scored in this test');
    }, { prepare: async (warmUp: WorkerWarmUp) => void warmUps.push(warmUp) });
    const h = await createHost({ environment: sourceEnvironment(), scoreInWorkers: scorer });
    await h.prepareEvaluation({ source: new File(['x'], 'pairs.csv'), metrics: ['exact_match', 'no_such_metric'], workers: 2 });
    expect(warmUps).toHaveLength(1);
    expect(warmUps[0]!.workers).toBe(2);
    expect(warmUps[0]!.imports['plugboard/sdk']).toBeTruthy();
    expect(warmUps[0]!.plugins.map((plugin) => [plugin.export, plugin.integrity?.slice(0, 7)])).toEqual([['csv', 'sha384-'], ['exactMatch', 'sha384-']]);
    await expect(h.prepareEvaluation({ source: new File(['x'], 'pairs.unknown'), metrics: ['exact_match'], workers: 2 })).resolves.toBeUndefined();
    await h.prepareEvaluation({ source: new File(['x'], 'pairs.csv'), metrics: ['exact_match'], workers: 0 });
    expect(warmUps).toHaveLength(1);
  });

  it('hands the Workers an installed plugin’s pin of every module it imports, and rejects with their refusal instead of scoring in this thread', async () => {
    const { PlugboardError } = await import('../errors/index.ts');
    const folder = mkdtempSync(join(tmpdir(), 'plugboard-worker-pins-'));
    const entry = "import { WEIGHT } from './weight.js';\nexport const weighted = { init: () => 0, update: (s, b) => s + b.predictions.length * WEIGHT, merge: (a, b) => a + b, finalize: (s) => ({ score: s }) };\n";
    writeFileSync(join(folder, 'weighted.js'), entry);
    writeFileSync(join(folder, 'weight.js'), 'export const WEIGHT = 1;\n');
    const url = (name: string) => pathToFileURL(join(folder, name)).href;
    const sha = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
    const modules = { [url('weight.js')]: sha('export const WEIGHT = 1;\n') };
    const installed = { group: 'codex_ml.metrics', name: 'weighted', url: url('weighted.js'), export: 'weighted', integrity: sha(entry), source: url('weighted.js'), modules, enabled: true, installedAt: new Date().toISOString() };
    const refusal = new PlugboardError({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', group: 'codex_ml.metrics', plugin: 'weighted', url: url('weight.js'), problem: 'a module the plugin imports is not the one pinned at install' });
    const plans: WorkerPlan[] = [];
    const warmUps: WorkerWarmUp[] = [];
    const scorer = Object.assign(
      async (plan: WorkerPlan): Promise<never> => {
        plans.push(plan);
        throw refusal;
      },
      { prepare: async (warmUp: WorkerWarmUp) => void warmUps.push(warmUp) },
    );
    const h = await createHost({ environment: sourceEnvironment(), installedPlugins: memoryInstalledPlugins([installed]), scoreInWorkers: scorer, onWarning: () => {} });
    const file = new File([csvOf(ROWS)], 'pairs.csv');
    await h.prepareEvaluation({ source: file, metrics: ['weighted'], workers: 1 });
    await expect(h.evaluate({ source: file, metrics: ['weighted'], workers: 1 })).rejects.toBe(refusal);
    const pinned = { group: 'codex_ml.metrics', name: 'weighted', url: url('weighted.js'), export: 'weighted', integrity: sha(entry), pinned: true, modules };
    expect(warmUps[0]!.plugins.find((plugin) => plugin.name === 'weighted')).toEqual(pinned);
    expect(plans[0]!.metrics[0]).toEqual({ ...pinned, options: {} });
    // A built-in plugin is not pinned: only the digest of the bytes the page read goes with it.
    expect(plans[0]!.loader).toEqual({ group: 'codex_ml.data_loaders', name: 'csv', url: expect.any(String), export: 'csv', integrity: expect.stringMatching(/^sha384-/) });
  });

  it('starts the Workers for a file before the plugins are loaded, so a first Run overlaps the two', async () => {
    const warmUps: WorkerWarmUp[] = [];
    const scorer = Object.assign(async (): Promise<never> => {
      throw new Error('not scored in this test');
    }, { prepare: async (warmUp: WorkerWarmUp) => void warmUps.push(warmUp) });
    const h = await createHost({ environment: sourceEnvironment(), scoreInWorkers: scorer });
    // The metric does not exist, so loading fails: the Workers were asked for before that.
    await expect(h.evaluate({ source: new File([csvOf(ROWS)], 'pairs.csv'), metrics: ['no_such_metric'], workers: 2 })).rejects.toBeTruthy();
    expect(warmUps.map((warmUp) => ({ workers: warmUp.workers, plugins: warmUp.plugins }))).toEqual([{ workers: 2, plugins: [] }]);
    await expect(h.evaluate({ source: ROWS, metrics: ['no_such_metric'], workers: 2 })).rejects.toBeTruthy();
    expect(warmUps).toHaveLength(1);
  });
});
