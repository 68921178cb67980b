import { describe, expect, it } from 'vitest';
import type { DataLoader, DataRecord } from '../sdk/index.ts';
import type { MetricRun } from './metric-run.ts';
import { scoreSource } from './score-source.ts';

/** A loader that yields one record per line of the Blob's text, read through its stream. */
const linesLoader: DataLoader = (source) =>
  (async function* () {
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of (source as Blob).stream() as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    for (const line of text.split('\n')) if (line) yield { prediction: line, reference: line } as DataRecord;
  })() as ReturnType<DataLoader>;

/** A metric run that writes what happens to it into `events`. */
function recordingRun(events: string[]): MetricRun {
  return {
    name: 'recording',
    update: (predictions) => void events.push(`update ${predictions.length}`),
    state: () => undefined,
    probe: () => undefined,
    merge: () => undefined,
    finish: async () => 0,
    models: () => [],
  };
}

describe('scoreSource', () => {
  it('reports progress as soon as the first bytes are read, before the first batch is scored', async () => {
    const events: string[] = [];
    const blob = new Blob(['a\nb\nc\n']);
    await scoreSource([recordingRun(events)], {
      loader: linesLoader,
      source: blob,
      loaderOptions: {},
      columns: { prediction: 'prediction', reference: 'reference' },
      skipInvalid: false,
      sourceName: 'lines.txt',
      batchSize: 2,
      onProgress: (progress) => events.push(`progress ${progress.rows} ${progress.bytes}/${progress.totalBytes}`),
    });
    expect(events).toEqual(['progress 0 6/6', 'update 2', 'progress 2 6/6', 'update 1', 'progress 3 6/6']);
  });

  it('reports records in memory after each batch only: there are no bytes to read', async () => {
    const events: string[] = [];
    const records = [1, 2, 3].map((n) => ({ prediction: String(n), reference: String(n) }));
    await scoreSource([recordingRun(events)], {
      loader: undefined,
      source: records,
      loaderOptions: {},
      columns: { prediction: 'prediction', reference: 'reference' },
      skipInvalid: false,
      sourceName: 'records',
      batchSize: 2,
      onProgress: (progress) => events.push(`progress ${progress.rows}`),
    });
    expect(events).toEqual(['update 2', 'progress 2', 'update 1', 'progress 3']);
  });
});
