// The CSV case in the page: the uploaded File goes to Workers — Plugboard's (two Workers, halves merged) or the
// floor's (one Worker scanning for breaks). Each side starts its clock with the File in hand and stops it with
// the answer; starting the Workers is part of the work.
import { exactMatch } from '/worker-dist/plugins/metrics/exact-match.js';

const LF = 10;
const QUOTE = 34;

function inWorker(url, blob) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { type: 'module' });
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data.error) reject(new Error(data.error));
      else resolve(data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`worker failed: ${event.message}`));
    };
    worker.postMessage({ id: 1, blob });
  });
}

async function firstIndexOf(blob, byte, from) {
  for (let start = from; start < blob.size; start += 1 << 16) {
    const bytes = new Uint8Array(await blob.slice(start, start + (1 << 16)).arrayBuffer());
    const found = bytes.indexOf(byte);
    if (found !== -1) return start + found;
  }
  return -1;
}

/**
 * Cuts the file in two at the first line break after its middle. The cut is speculative: a quoted field may
 * hold a line break, and then the first half ends inside quotes, its parse fails, and the whole file is
 * parsed by one Worker instead — so the answer is right for any valid CSV.
 */
async function halves(file) {
  const headerEnd = (await firstIndexOf(file, LF, 0)) + 1;
  const header = new Uint8Array(await file.slice(0, headerEnd).arrayBuffer());
  const cut = (await firstIndexOf(file, LF, Math.floor(file.size / 2))) + 1;
  if (headerEnd <= 0 || cut <= headerEnd || header.includes(QUOTE)) return null;
  return [file.slice(0, cut), new Blob([file.slice(0, headerEnd), file.slice(cut)])];
}

async function plugboard(file) {
  const parts = await halves(file);
  let state;
  if (parts) {
    const outcomes = await Promise.allSettled(parts.map((blob) => inWorker('/bench/csv-plugboard-worker.js', blob)));
    if (outcomes.every((outcome) => outcome.status === 'fulfilled')) state = exactMatch.merge(outcomes[0].value.state, outcomes[1].value.state);
  }
  state ??= (await inWorker('/bench/csv-plugboard-worker.js', file)).state;
  return { rows: state.rows, matches: state.matches, exactMatch: exactMatch.finalize(state), workers: parts ? 2 : 1 };
}

async function floor(file) {
  const { lines, fields } = await inWorker('/bench/csv-floor-worker.js', file);
  return { rows: lines - 1, fieldBreaks: fields };
}

window.runCsv = async (side) => {
  const file = document.getElementById('upload').files[0];
  const started = performance.now();
  const answer = side === 'plugboard' ? await plugboard(file) : await floor(file);
  return { ms: performance.now() - started, answer: { ...answer, bytes: file.size } };
};
window.benchReady = true;
