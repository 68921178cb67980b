import { beforeAll, describe, expect, it } from 'vitest';
import type { FinalizeMessage, ScoreMessage, WorkerReply } from './evaluation-protocol.ts';

/** The Worker's global scope, in this thread: messages go in as events, its replies are collected. */
const scope = Object.assign(new EventTarget(), { replies: [] as WorkerReply[], postMessage: (reply: WorkerReply) => void scope.replies.push(reply) });

/** Sends the Worker one message and resolves with its first reply of a final kind. */
function send(message: ScoreMessage | FinalizeMessage): Promise<WorkerReply> {
  const from = scope.replies.length;
  scope.dispatchEvent(new MessageEvent('message', { data: message }));
  return new Promise((resolve) => {
    const poll = () => {
      const reply = scope.replies.slice(from).find((candidate) => candidate.type !== 'progress');
      if (reply) resolve(reply);
      else setTimeout(poll, 5);
    };
    poll();
  });
}

const asData = (source: string) => `data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`;
// A metric that counts its prepare calls (in this realm's global, which the Worker's modules share) and scores that count.
const metricUrl = asData(`globalThis.preparesCounted = 0;
export const counted = {
  prepare: async () => { globalThis.preparesCounted += 1; },
  init: () => ({ rows: 0 }),
  update: (state, batch) => ({ rows: state.rows + batch.predictions.length }),
  merge: (a, b) => ({ rows: a.rows + b.rows }),
  finalize: (state) => ({ score: state.rows, prepares: globalThis.preparesCounted }),
};
`);
const loaderUrl = asData(`export const pairs = async function* (source) {
  for (const line of (await source.text()).trim().split('\\n')) {
    const [prediction, reference] = line.split(',');
    yield { prediction, reference };
  }
};
`);

beforeAll(async () => {
  Object.defineProperty(globalThis, 'self', { configurable: true, value: scope });
  await import('./evaluation-worker.ts');
});

describe('the evaluation Worker', () => {
  it('prepares a metric once when it scores a part and then finalizes it, and again for other options', async () => {
    const metrics = [{ url: metricUrl, export: 'counted', name: 'counted', options: { lowercase: true } }];
    const scored = await send({
      type: 'score',
      imports: {},
      loader: { url: loaderUrl, export: 'pairs', name: 'pairs' },
      metrics,
      source: new Blob(['a,a\nb,c\n']),
      sourceName: 'pairs.csv',
      loaderOptions: {},
      columns: { prediction: 'prediction', reference: 'reference' },
      skipInvalid: false,
      batchSize: 100,
    });
    expect(scored).toMatchObject({ type: 'done', rows: 2 });
    const states = (scored as Extract<WorkerReply, { type: 'done' }>).states;
    const finalized = await send({ type: 'finalize', imports: {}, metrics, states: { counted: [states['counted']] } });
    expect(finalized).toMatchObject({ type: 'finalized', scores: { counted: { score: 2, prepares: 1 } } });
    // Other options are another preparation.
    const other = await send({ type: 'finalize', imports: {}, metrics: [{ ...metrics[0]!, options: { lowercase: false } }], states: { counted: [states['counted']] } });
    expect(other).toMatchObject({ type: 'finalized', scores: { counted: { score: 2, prepares: 2 } } });
  });
});
