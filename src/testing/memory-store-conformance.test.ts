import { describe, expect, it } from 'vitest';
import { MemoryTrackingStore, memoryTrackingStore } from '../../examples/memory-store/memory-store.ts';
import { validatePlugin } from '../adapters/index.ts';
import { describeTrackingStoreConformance } from './index.ts';

// The example plugin shows that the kit holds a store to the contract, not to IndexedDB.
describeTrackingStoreConformance(async () => new MemoryTrackingStore(), { describe, it });

describe('memory store example plugin', () => {
  it('is a valid mlflow.tracking_store plugin whose URI name picks one shared store', async () => {
    expect(validatePlugin(memoryTrackingStore, { group: 'mlflow.tracking_store', name: 'memory' })).toEqual([]);
    const a = await memoryTrackingStore('memory://shared');
    const run = await a.createRun({ experimentId: '0' });
    const b = await memoryTrackingStore('memory://shared/');
    expect((await b.getRun(run.info.runId)).info.runId).toBe(run.info.runId);
    await expect((await memoryTrackingStore('memory://other')).getRun(run.info.runId)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });
});
