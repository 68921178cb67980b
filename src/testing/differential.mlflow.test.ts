import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { RestTrackingStore } from '../mlflow-server/index.ts';
import { resetTestMlflowServer, testMlflowServer } from '../mlflow-server/test-server.test-helpers.ts';
import { IdbTrackingStore } from '../tracking/index.ts';
import { assertAgreement, runDifferential, trackingDifferentialScript } from './index.ts';

const server = testMlflowServer();

describe('differential: IndexedDB store and a real MLflow server', () => {
  it('answer every step of the tracking script alike', async () => {
    const outcomes = await runDifferential(
      trackingDifferentialScript,
      async () => new IdbTrackingStore(`differential-${process.pid}-${Date.now()}`, { onWarning: () => {} }),
      async () => {
        resetTestMlflowServer(server);
        return new RestTrackingStore(server.url);
      },
    );
    expect(outcomes).toHaveLength(trackingDifferentialScript.length);
    assertAgreement(outcomes, ['IndexedDB', 'MLflow']);
  });
});
