// Case 6 — models: gpt2 perplexity (ppl with model_id, the built plugin in Node) against the same tiny model run
// through onnxruntime-node directly (the floor: same ids, same padding, same cross-entropy, a session per run),
// and the head trainer's steps per second beside the cost of embedding its rows once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from '../lib/alternate.js';
import { absoluteEntry, notMeasured, pairEntry } from '../lib/results.js';

const WORDS = ['the', 'model', 'reads', 'a', 'small', 'network', 'learns', 'new', 'words', 'every', 'plugin', 'scores', 'the', 'test', 'set', 'browser', 'streams', 'short', 'texts'];

function texts(count, seed) {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: count }, () => Array.from({ length: 3 + Math.floor(next() * 6) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ') + '.');
}

/** evaluate's perplexity with onnxruntime-node called directly: the floor. */
async function floorPerplexity(ort, modelPath, config, rows, batchSize, bos, pad) {
  const session = await ort.InferenceSession.create(modelPath);
  const width = Math.max(...rows.map((ids) => ids.length));
  const padded = rows.map((ids) => ({ ids: [bos, ...ids, ...new Array(width - ids.length).fill(pad)], mask: [1, ...ids.map(() => 1), ...new Array(width - ids.length).fill(0)] }));
  const heads = config.n_head;
  const size = config.n_embd / heads;
  const out = [];
  for (let start = 0; start < padded.length; start += batchSize) {
    const batch = padded.slice(start, start + batchSize);
    const length = width + 1;
    const int64 = (pick) => new ort.Tensor('int64', BigInt64Array.from(batch.flatMap(pick), BigInt), [batch.length, length]);
    const feeds = {
      input_ids: int64((row) => row.ids),
      attention_mask: int64((row) => row.mask),
      position_ids: int64((row) => { let seen = 0; return row.mask.map((m) => (m ? seen++ : 1)); }),
    };
    for (let layer = 0; layer < config.n_layer; layer++) {
      for (const kind of ['key', 'value']) feeds[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [batch.length, heads, 0, size]);
    }
    const { logits } = await session.run(feeds);
    const vocabulary = logits.dims[2];
    batch.forEach((row, index) => {
      let loss = 0;
      let count = 0;
      for (let position = 0; position + 1 < length; position++) {
        if (!row.mask[position + 1]) continue;
        const offset = (index * length + position) * vocabulary;
        let max = -Infinity;
        for (let v = 0; v < vocabulary; v++) max = Math.max(max, logits.data[offset + v]);
        let sum = 0;
        for (let v = 0; v < vocabulary; v++) sum += Math.exp(logits.data[offset + v] - max);
        loss -= logits.data[offset + row.ids[position + 1]] - max - Math.log(sum);
        count++;
      }
      out.push(Math.exp(loss / count));
    });
  }
  await session.release();
  return out;
}

/** Runs the models case and resolves with its two entries. */
export async function runModels({ root, quick, log }) {
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
    compare: (mine, floor) => {
      const worst = Math.max(...mine.map((value, row) => Math.abs(value / floor[row] - 1)));
      return worst <= 1e-5 ? null : `perplexities differ by up to ${worst.toExponential(2)} relative`;
    },
    extra: { environment: 'Node, onnxruntime-node (CPU); plugboard includes tokenizing and loading the model folder through transformers.js, the floor creating its session' },
  });
  log(`  ppl: Plugboard ${pplEntry.plugboard} ms vs floor ${pplEntry.baseline} ms → ${pplEntry.ratio ?? pplEntry.mismatch}`);

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
  return [pplEntry, trainerEntry];
}
