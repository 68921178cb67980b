// Case 6 — models: gpt2 perplexity (ppl with model_id) against the same tiny model run through ONNX Runtime
// directly (the floor: same ids, same padding, same cross-entropy, a session per run) — in Node (the built
// plugin vs onnxruntime-node) and in Chromium (the built app's host scoring a text file in a page Worker vs
// onnxruntime-web in a fresh Worker of the same page) — and the head trainer's steps per second beside the
// cost of embedding its rows once.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from '../lib/alternate.js';
import { launchBrowser, watchPage } from '../lib/browser.js';
import { absoluteEntry, notMeasured, pairEntry } from '../lib/results.js';
import { startStaticServer } from '../lib/static-server.js';
import { floorPerplexity } from '../pages/ppl-floor.js';

const PAGE = '<!doctype html><meta charset="utf-8"><script type="module" src="/bench/models-page.js"></script>';

/** Perplexities agree when no row differs by more than 1e-5 relative; otherwise the sentence says by how much. */
function comparePerplexities(mine, floor) {
  const worst = Math.max(...mine.map((value, row) => Math.abs(value / floor[row] - 1)));
  return worst <= 1e-5 ? null : `perplexities differ by up to ${worst.toExponential(2)} relative`;
}

/**
 * The page side: a static server for the build, the page and the tiny models; Plugboard's ppl over the text
 * file in a page Worker alternating with the onnxruntime-web floor in a Worker of the same page — both in fresh
 * Workers (cold), then both in kept ones (warm). Resolves with the two entries.
 */
async function measurePage({ root, work, quick, log, lines, ids, config, bos, pad, batchSize }) {
  const folder = join(work, 'models');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'texts.txt'), `${lines.join('\n')}\n`);
  const server = await startStaticServer({
    mounts: {
      '/bench/': join(root, 'bench/pages'),
      '/dist/': join(root, 'dist'),
      '/assets/': join(root, 'dist/assets'),
      '/ort-web/': join(root, 'node_modules/onnxruntime-web/dist'),
      '/models/': join(root, 'src/plugins/models/fixtures'),
      '/data/': folder,
    },
    routes: { '/models.html': { type: 'text/html', body: PAGE } },
  });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    watchPage(page, 'models');
    page.setDefaultTimeout(600_000);
    await page.goto(`${server.origin}/models.html`);
    await page.waitForFunction(() => window.benchReady === true);
    const modelUrl = `${server.origin}/models/tiny-gpt2`;
    const floorMessage = { modelUrl: `${modelUrl}/onnx/model.onnx`, config, ids, batchSize, bos, pad, wasmPaths: `${server.origin}/dist/ort/` };
    const environment = 'Chromium, onnxruntime-web WebAssembly (the build transformers.js bundles, the build\'s ort/ files), one thread (the page is not cross-origin isolated) on both sides';
    const sides = {
      cold: {
        caseName: 'models: gpt2 perplexity over a text file in a fresh page Worker (Chromium, cold)',
        baselineName: 'the same ONNX model through onnxruntime-web called directly in a fresh Worker of the same page, same ids and padding (floor)',
        measured: 'each side from starting a fresh module Worker to its answer. Plugboard: the built lines loader and ppl imported with WorkerImporter, the text file read, transformers.js imported, the model folder fetched through the Cache API, texts tokenized, a session, inference. Floor: onnxruntime-web imported, a session on the model URL, inference on token ids made beforehand',
      },
      warm: {
        caseName: 'models: gpt2 perplexity over a text file in a kept page Worker (Chromium, warm)',
        baselineName: 'the same ONNX model through onnxruntime-web called directly in a kept Worker of the same page, same ids and padding (floor)',
        measured: 'each side in one Worker kept across runs (its first run dropped), from posting the message to the answer. Plugboard: the text file read, the model folder from the Cache API, texts tokenized, a session, inference. Floor: a session on the model URL, inference on token ids made beforehand',
      },
    };
    const entries = [];
    for (const [mode, side] of Object.entries(sides)) {
      const warm = mode === 'warm';
      let rows = 0;
      const samples = await alternate(
        [
          {
            name: 'plugboard',
            run: async () => {
              const answer = await page.evaluate((request) => window.runPlugboard(request), { fileUrl: `${server.origin}/data/texts.txt`, dist: `${server.origin}/dist/`, options: { model_id: modelUrl, batch_size: batchSize }, warm });
              rows = answer.rows;
              return { ms: answer.ms, answer: answer.perplexities };
            },
          },
          { name: 'floor', run: async () => { const answer = await page.evaluate((message) => window.runFloor(message), { ...floorMessage, warm }); return { ms: answer.ms, answer: answer.perplexities }; } },
        ],
        { reps: quick ? 3 : 7, warmup: 1 },
      );
      const entry = pairEntry({
        caseName: side.caseName,
        n: lines.length,
        plugboard: samples.plugboard,
        baseline: samples.floor,
        baselineName: side.baselineName,
        maxRatio: 1.2,
        targetText: 'ratio ≤ 1.2',
        compare: comparePerplexities,
        extra: { environment, measured: side.measured, rowsRead: rows },
      });
      log(`  ppl in a page Worker, ${mode}: Plugboard ${entry.plugboard} ms vs floor ${entry.baseline} ms → ${entry.ratio ?? entry.mismatch}`);
      entries.push(entry);
    }
    return entries;
  } finally {
    await browser.close();
    await server.close();
  }
}

const WORDS = ['the', 'model', 'reads', 'a', 'small', 'network', 'learns', 'new', 'words', 'every', 'plugin', 'scores', 'the', 'test', 'set', 'browser', 'streams', 'short', 'texts'];

function texts(count, seed) {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: count }, () => Array.from({ length: 3 + Math.floor(next() * 6) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ') + '.');
}

/** Runs the models case and resolves with its two entries. */
export async function runModels({ root, work, quick, log }) {
  const needed = ['dist/plugins/metrics/ppl.js', 'dist/plugins/models/factories.js', 'dist/plugins/trainers/functional.js'];
  const missing = needed.find((file) => !existsSync(join(root, file)));
  const pplCase = 'models: gpt2 perplexity (ppl with model_id) in Node';
  const trainerCase = 'models: head trainer (functional, softmax regression on frozen minilm embeddings) in Node';
  if (missing) return [notMeasured({ caseName: pplCase, reason: `${missing} is not built` }), notMeasured({ caseName: trainerCase, reason: `${missing} is not built` })];
  const fixtures = join(root, 'src/plugins/models/fixtures');
  const dist = (file) => import(pathToFileURL(join(root, 'dist', file)).href);
  const [{ ppl }, { gpt2, minilm }, { functional }] = await Promise.all([dist('plugins/metrics/ppl.js'), dist('plugins/models/factories.js'), dist('plugins/trainers/functional.js')]);
  const ort = await import('onnxruntime-node');
  const gptFolder = join(fixtures, 'tiny-gpt2');
  const config = JSON.parse(readFileSync(join(gptFolder, 'config.json'), 'utf8'));
  const lines = texts(quick ? 32 : 128, 7);
  const batchSize = 16;
  const [, tokenizer] = await gpt2({ model_name: gptFolder });
  const ids = lines.map((text) => tokenizer.encode(text, { addSpecialTokens: false }));
  const bos = tokenizer.specialTokens.bos;
  const pad = tokenizer.specialTokens.pad ?? bos;

  const samples = await alternate(
    [
      { name: 'plugboard', run: async () => { const start = performance.now(); const result = await ppl.finalize(ppl.update(ppl.init({ model_id: gptFolder, batch_size: batchSize }), { predictions: lines, references: [] })); return { ms: performance.now() - start, answer: result.perplexities }; } },
      { name: 'floor', run: async () => { const start = performance.now(); const answer = await floorPerplexity(ort, join(gptFolder, 'onnx/model.onnx'), config, ids, batchSize, bos, pad); return { ms: performance.now() - start, answer }; } },
    ],
    { reps: quick ? 3 : 7, warmup: 1 },
  );
  const pplEntry = pairEntry({
    caseName: pplCase,
    n: lines.length,
    plugboard: samples.plugboard,
    baseline: samples.floor,
    baselineName: 'the same ONNX model through onnxruntime-node directly, same ids and padding (floor)',
    maxRatio: 1.2,
    targetText: 'ratio ≤ 1.2',
    compare: comparePerplexities,
    extra: { environment: 'Node, onnxruntime-node (CPU); plugboard includes tokenizing and loading the model folder through transformers.js, the floor creating its session' },
  });
  log(`  ppl: Plugboard ${pplEntry.plugboard} ms vs floor ${pplEntry.baseline} ms → ${pplEntry.ratio ?? pplEntry.mismatch}`);
  const needsPage = ['dist/index.js', 'dist/worker.js'].find((file) => !existsSync(join(root, file)));
  const pageEntries = needsPage
    ? [notMeasured({ caseName: 'models: gpt2 perplexity over a text file in a page Worker (Chromium)', reason: `${needsPage} is not built` })]
    : await measurePage({ root, work, quick, log, lines, ids, config, bos, pad, batchSize });

  const [encoder] = await minilm({ model_name: join(fixtures, 'tiny-minilm') });
  const rows = texts(quick ? 200 : 800, 11).map((text, index) => ({ text, label: text.includes('model') ? 'model' : index % 2 ? 'odd' : 'even' }));
  const runs = [];
  for (let rep = 0; rep < (quick ? 2 : 5); rep++) runs.push(await functional({ epochs: 5, batch_size: 16, learning_rate: 0.01, seed: rep, checkpoint_every: 'no' }, { model: encoder, data: rows }));
  const stepsPerSecond = runs.map((run) => run.timings.stepsPerSecond);
  const trainerEntry = absoluteEntry({
    caseName: trainerCase,
    n: runs[0].globalStep,
    plugboard: { times: runs.map((run) => run.timings.trainingMs) },
    targetText: 'reported: steps/s beside the embedding cost',
    extra: {
      stepsPerSecondMedian: Number([...stepsPerSecond].sort((a, b) => a - b)[Math.floor(stepsPerSecond.length / 2)].toFixed(0)),
      embeddingMsMedian: Number([...runs.map((run) => run.timings.embeddingMs)].sort((a, b) => a - b)[Math.floor(runs.length / 2)].toFixed(1)),
      rows: rows.length,
      met: null, // reported, no target
    },
  });
  log(`  trainer: ${trainerEntry.stepsPerSecondMedian} steps/s over ${trainerEntry.n} steps; embedding ${rows.length} rows took ${trainerEntry.embeddingMsMedian} ms`);
  return [pplEntry, ...pageEntries, trainerEntry];
}
