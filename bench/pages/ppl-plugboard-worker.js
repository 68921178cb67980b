// Plugboard's side of the page half of the models case, in a module Worker as the app's scoring Worker runs
// plugins: the built `lines` data loader and `ppl` metric imported through the host's import map with
// WorkerImporter (Workers have no import maps), the text file read line by line, perplexity under model_id
// computed here. Message in: { id, dist, file, options }. Out: { id, perplexities, rows } | { id, error }.
import { WorkerImporter } from '/dist/worker.js';

let plugins;

self.onmessage = async ({ data }) => {
  try {
    // Imported once per Worker, as a scoring Worker keeps its plugins; a kept Worker's later runs reuse them.
    plugins ??= (async () => {
      const importer = new WorkerImporter({ imports: { 'plugboard/sdk': `${data.dist}sdk.js` } });
      return Promise.all([importer.import(`${data.dist}plugins/data-loaders/lines.js`), importer.import(`${data.dist}plugins/metrics/ppl.js`)]);
    })();
    const [{ lines }, { ppl }] = await plugins;
    let state = ppl.init(data.options);
    let batch = [];
    let rows = 0;
    for await (const record of lines(data.file, { sourceName: data.file.name })) {
      batch.push(record.text);
      if (batch.length === 1024) {
        state = ppl.update(state, { predictions: batch, references: [] });
        rows += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) state = ppl.update(state, { predictions: batch, references: [] });
    rows += batch.length;
    const result = await ppl.finalize(state);
    self.postMessage({ id: data.id, perplexities: result.perplexities, rows });
  } catch (error) {
    self.postMessage({ id: data.id, error: `${error?.message ?? error}` });
  }
};
