import { describe, expect, it } from 'vitest';
import { validateInstance, validatePlugin } from '../../adapters/index.ts';
import { RestModelRegistryStore } from '../../mlflow-server/index.ts';
import { mlflowModelRegistryStore } from './mlflow-server.ts';

describe('built-in MLflow server model registry plugin', () => {
  it("passes its group's v1 contract and builds a REST registry on the server's base URL", async () => {
    const origin = { group: 'mlflow.model_registry_store', name: 'http', exportName: 'mlflowModelRegistryStore' };
    expect(validatePlugin(mlflowModelRegistryStore, origin, { requireApi: 'v1' })).toEqual([]);
    const registry = await mlflowModelRegistryStore('http://127.0.0.1:5000/');
    expect(validateInstance(registry, origin)).toEqual([]);
    expect(registry).toBeInstanceOf(RestModelRegistryStore);
    expect((registry as RestModelRegistryStore).client.baseUrl).toBe('http://127.0.0.1:5000');
  });
});
