import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeTrackingStoreConformance } from '../testing/index.ts';
import { IdbTrackingStore } from './index.ts';

let counter = 0;
const freshStore = async () => new IdbTrackingStore(`conformance-${process.pid}-${++counter}`);

describeTrackingStoreConformance(freshStore, { describe, it });

describe('IdbTrackingStore', () => {
  it('gives run ids of 32 lowercase hex digits and names of the form adjective-noun-NNN', async () => {
    const store = await freshStore();
    const run = await store.createRun({ experimentId: '0' });
    expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
  });
  it('puts artifacts under idb://<database>/<experiment>/<run>/artifacts', async () => {
    const store = new IdbTrackingStore('artifact-uri-db');
    const run = await store.createRun({ experimentId: '0' });
    expect(run.info.artifactUri).toBe(`idb://artifact-uri-db/0/${run.info.runId}/artifacts`);
  });
});
