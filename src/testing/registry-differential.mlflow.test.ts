import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { RestModelRegistryStore } from '../mlflow-server/index.ts';
import { resetTestMlflowServer, testMlflowServer } from '../mlflow-server/test-server.test-helpers.ts';
import { IdbModelRegistryStore, type ModelRegistryStore } from '../model-registry/index.ts';
import { assertAgreement, registryDifferentialScript, runDifferential } from './index.ts';

const server = testMlflowServer();

describe('differential: IndexedDB registry and a real MLflow server', () => {
  it('answer every step of the registry script alike', async () => {
    const outcomes = await runDifferential<ModelRegistryStore>(
      registryDifferentialScript,
      async () => new IdbModelRegistryStore(`registry-differential-${process.pid}-${Date.now()}`),
      async () => {
        resetTestMlflowServer(server);
        return new RestModelRegistryStore(server.url);
      },
    );
    expect(outcomes).toHaveLength(registryDifferentialScript.length);
    assertAgreement(outcomes, ['IndexedDB', 'MLflow']);
  });
});
