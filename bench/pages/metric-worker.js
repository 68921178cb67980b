// A module Worker that runs a built metric plugin over rows it fetched itself; times the computation only.
// Messages in: { id, load: { url, field } } | { id, run: { moduleUrl, exportName, options } }. Out: { id, ms, result } | { id, error }.
let rows = null;

async function load({ url, field }) {
  const text = await (await fetch(url)).text();
  const predictions = [];
  const references = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const row = JSON.parse(line);
    predictions.push(row.prediction);
    references.push(row[field]);
  }
  rows = { predictions, references };
  return { rows: predictions.length };
}

async function run({ moduleUrl, exportName, options }) {
  const metric = (await import(moduleUrl))[exportName];
  const started = performance.now();
  const state = metric.update(metric.init(options), rows, options);
  const result = metric.finalize(state, options);
  return { ms: performance.now() - started, result };
}

self.onmessage = async ({ data }) => {
  try {
    const answer = data.load ? await load(data.load) : await run(data.run);
    self.postMessage({ id: data.id, ...answer });
  } catch (error) {
    self.postMessage({ id: data.id, error: `${error?.message ?? error}` });
  }
};
