// Plugboard's side of the CSV case, in a Worker: the built csv loader streams the Blob it is given (RFC 4180
// quoting) and the built exact_match accumulator counts matches; the Worker answers with the accumulator state.
// /worker-dist/ serves dist/ with the one bare import (plugboard/sdk) resolved, as module Workers have no import maps.
import { csv } from '/worker-dist/plugins/data-loaders/csv.js';
import { exactMatch } from '/worker-dist/plugins/metrics/exact-match.js';

self.onmessage = async ({ data }) => {
  try {
    let state = exactMatch.init();
    for await (const batch of csv(data.blob).batches()) {
      const predictions = new Array(batch.length);
      const references = new Array(batch.length);
      for (let i = 0; i < batch.length; i += 1) {
        predictions[i] = batch[i].prediction;
        references[i] = batch[i].reference;
      }
      state = exactMatch.update(state, { predictions, references });
    }
    self.postMessage({ id: data.id, state });
  } catch (error) {
    self.postMessage({ id: data.id, error: `${error?.message ?? error}` });
  }
};
