import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { validateInstance, validatePlugin } from '../../adapters/index.ts';
import { idbArtifactRepository, idbModelRegistryStore } from './idb.ts';

describe('built-in idb artifact repository and model registry plugins', () => {
  it('pass their groups\' v1 contracts and build instances that pass too', async () => {
    const artifactOrigin = { group: 'mlflow.artifact_repository', name: 'idb', exportName: 'idbArtifactRepository' };
    const registryOrigin = { group: 'mlflow.model_registry_store', name: 'idb', exportName: 'idbModelRegistryStore' };
    expect(validatePlugin(idbArtifactRepository, artifactOrigin, { requireApi: 'v1' })).toEqual([]);
    expect(validatePlugin(idbModelRegistryStore, registryOrigin, { requireApi: 'v1' })).toEqual([]);
    const repository = await idbArtifactRepository('idb://plugin-test/0/run/artifacts');
    const registry = await idbModelRegistryStore('idb://plugin-test');
    expect(validateInstance(repository, artifactOrigin)).toEqual([]);
    expect(validateInstance(registry, registryOrigin)).toEqual([]);
  });

  it('store through the instances they build', async () => {
    const repository = await idbArtifactRepository('idb://plugin-test/0/run/artifacts');
    await repository.logArtifact('bytes', 'file.txt');
    expect(await (await repository.downloadArtifact('file.txt')).text()).toBe('bytes');
    const registry = await idbModelRegistryStore('idb:');
    await registry.createRegisteredModel('plugin-model');
    expect((await registry.createModelVersion('plugin-model', repository.artifactUri)).source).toBe('idb://plugin-test/0/run/artifacts');
  });
});
