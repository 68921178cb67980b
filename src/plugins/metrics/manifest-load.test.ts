import { describe, expect, it } from 'vitest';
import { createHost } from '../../host/index.ts';
import { sourceEnvironment } from '../../host/source-environment.test-helpers.ts';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';

const NAMES = ['accuracy', 'bleu', 'chrf', 'embedding_similarity', 'exact_match', 'f1', 'ppl', 'rouge', 'squad', 'ter', 'token_accuracy'];

describe('the built-in metrics through the manifest', () => {
  it('load as accumulators by the same path as any plugin and give the reference BLEU', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const report = await host.loadGroup('codex_ml.metrics');
    expect(report.errors).toEqual([]);
    expect([...report.loaded].sort()).toEqual(NAMES);
    const bleu = await host.load<Parameters<typeof computeMetric>[0]>('codex_ml.metrics', 'bleu');
    const fixture = readFixture<{ score: number }>('bleu.json');
    const expected = fixture.cases.find((c) => c.input === 'random-corpus' && Object.keys(c.options).length === 0)!;
    const data = fixture.inputs['random-corpus']!;
    const result = (await computeMetric(bleu, data.predictions, data.references)) as { score: number };
    expectClose(result.score, expected.expected.score, 'bleu via manifest');
  });
});
