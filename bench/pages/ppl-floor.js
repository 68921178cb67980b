// The perplexity floor, shared by the Node and page sides of the models case: Hugging Face evaluate's
// perplexity over token ids with an ONNX Runtime session called directly (onnxruntime-node in Node,
// onnxruntime-web in a Worker) — start token, padding to the longest row, masked next-token cross-entropy.

/**
 * Creates a session on `model` (a path in Node, a URL or bytes in a page), runs `ids` (one token list per
 * text, no start token) `batchSize` rows at a time and resolves with one perplexity per text; the session is
 * released before it resolves. `config` is the GPT-2 config (n_head, n_embd, n_layer) for the empty past.
 */
export async function floorPerplexity(ort, model, config, ids, batchSize, bos, pad, sessionOptions = {}) {
  const session = await ort.InferenceSession.create(model, sessionOptions);
  const width = Math.max(...ids.map((row) => row.length));
  const padded = ids.map((row) => ({ ids: [bos, ...row, ...new Array(width - row.length).fill(pad)], mask: [1, ...row.map(() => 1), ...new Array(width - row.length).fill(0)] }));
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
