import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MemoryTrackingStore } from '../../examples/memory-store/memory-store.ts';
import { IdbTrackingStore } from '../tracking/index.ts';
import { assertAgreement, runDifferential, trackingDifferentialScript, type DifferentialStep } from './index.ts';

describe('differential mode', () => {
  it('finds the IndexedDB and memory stores answering the tracking script alike, with real answers compared', async () => {
    const outcomes = await runDifferential(
      trackingDifferentialScript,
      async () => new IdbTrackingStore(`differential-unit-${process.pid}-${Date.now()}`, { onWarning: () => {} }),
      async () => new MemoryTrackingStore(),
    );
    assertAgreement(outcomes);
    const byName = Object.fromEntries(outcomes.map((outcome) => [outcome.name, outcome.a]));
    expect(byName['refuses to change a param']).toEqual({ error: 'INVALID_PARAMETER_VALUE' });
    expect(byName['cuts a long param and a long tag to the limits']).toEqual({ value: [6000, 8000] });
    expect(byName['walks pages of two runs']).toEqual({ value: [['alpha', 'beta'], ['delta', 'gamma'], ['inputs-a', 'inputs-b'], ['long']] });
    const [firstInputs, secondInputs] = (byName["logs dataset inputs once per run and keeps the experiment's first copy of a dataset"] as { value: [{ datasetInputs: { dataset: { name: string; source: string }; tags: unknown[] }[] }, { datasetInputs: unknown[] }] }).value;
    expect(firstInputs.datasetInputs.map((input) => input.dataset.name)).toEqual(['zeta', 'alpha', 'mid']);
    expect(firstInputs.datasetInputs[0]!.tags).toEqual([{ key: 'b', value: 'yes' }, { key: 'mlflow.data.context', value: 'train' }]);
    expect(secondInputs.datasetInputs).toEqual([{ dataset: { name: 'zeta', digest: 'd1', sourceType: 'local', source: '{"uri": "s1"}', schema: '{"mlflow_colspec": []}' }, tags: [{ key: 'mlflow.data.context', value: 'eval' }] }]);
    expect((byName['creates a run with a name, start time and tags'] as { value: { info: { runId: string } } }).value.info.runId).toBe('<alpha>');
  });

  it('reports each step two stores answer differently, with both answers', async () => {
    const steps: DifferentialStep[] = [
      { name: 'creates a run', run: async (store, ids) => ids.keep('run', (await store.createRun({ experimentId: '0', startTime: 1 })).info.runId) },
      { name: 'reads a param back', run: async (store, ids) => { await store.logParam(ids.id('run'), { key: 'p', value: '1' }); return (await store.getRun(ids.id('run'))).data.params; } },
    ];
    // A store that drops every param: the second step must be reported, the first not.
    class LossyStore extends MemoryTrackingStore {
      override async logParam(): Promise<void> {}
    }
    const outcomes = await runDifferential(steps, async () => new MemoryTrackingStore(), async () => new LossyStore());
    expect(outcomes.map((outcome) => [outcome.name, outcome.agreed])).toEqual([['creates a run', true], ['reads a param back', false]]);
    expect(() => assertAgreement(outcomes, ['memory', 'lossy'])).toThrow(/1 of 2 steps differ:\n  reads a param back\n    memory: \{"value":\[\{"key":"p","value":"1"\}\]\}\n    lossy: \{"value":\[\]\}/);
  });
});
