import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { RestModelRegistryStore } from './index.ts';
import { resetTestMlflowServer, runPython, testMlflowServer } from './test-server.test-helpers.ts';

const server = testMlflowServer();
beforeEach(() => resetTestMlflowServer(server));

const READ_BACK = `
import json, sys
from mlflow import MlflowClient
client = MlflowClient()
model = client.get_registered_model(sys.argv[1])
copy = client.get_model_version(sys.argv[2], "1")
print("JSON=" + json.dumps({
    "tags": model.tags, "description": model.description, "aliases": model.aliases,
    "champion": client.get_model_version_by_alias(sys.argv[1], "champion").version,
    "copy": {"source": copy.source, "run_id": copy.run_id, "tags": copy.tags, "description": copy.description},
    "download": client.get_model_version_download_uri(sys.argv[2], "1"),
}))
`;

const REGISTER = `
from mlflow import MlflowClient
client = MlflowClient()
client.create_registered_model("from-python", tags={"team": "nlp"})
client.create_model_version("from-python", "s3://bucket/model", tags={"k": "v"})
client.set_registered_model_alias("from-python", "champion", "1")
`;

describe("the model registry of an MLflow server, through the host and beside MLflow's Python client", () => {
  it('is the REST registry the host picks for an http URI, and what it writes MLflow\'s client reads back', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const registry = await host.modelRegistry(server.url);
    expect(registry).toBeInstanceOf(RestModelRegistryStore);
    expect(await host.modelRegistry(server.url)).toBe(registry);
    await registry.createRegisteredModel('clf', { tags: [{ key: 'team', value: 'nlp' }], description: 'a classifier' });
    await registry.createModelVersion('clf', 's3://bucket/clf/1', undefined, [{ key: 'stage', value: 'candidate' }], 'first');
    await registry.setRegisteredModelAlias('clf', 'champion', 1);
    const copy = await registry.copyModelVersion('models:/clf@champion', 'clf-prod');
    expect([copy.name, copy.version, copy.source]).toEqual(['clf-prod', '1', 'models:/clf/1']);
    const seen = JSON.parse(/^JSON=(.*)$/m.exec(await runPython(server, READ_BACK, ['clf', 'clf-prod']))![1]!) as Record<string, unknown>;
    expect(seen).toEqual({
      tags: { team: 'nlp' },
      description: 'a classifier',
      aliases: { champion: '1' },
      champion: '1',
      copy: { source: 'models:/clf/1', run_id: '', tags: { stage: 'candidate' }, description: 'first' },
      download: 's3://bucket/clf/1',
    });
  });

  it("reads what MLflow's Python client registered", async () => {
    await runPython(server, REGISTER);
    const registry = new RestModelRegistryStore(server.url);
    const model = await registry.getRegisteredModel('from-python');
    expect([model.tags, model.aliases, model.latestVersions.map((version) => version.source)]).toEqual([
      [{ key: 'team', value: 'nlp' }],
      [{ alias: 'champion', version: '1' }],
      ['s3://bucket/model'],
    ]);
    expect((await registry.getModelVersionByAlias('from-python', 'champion')).tags).toEqual([{ key: 'k', value: 'v' }]);
  });

  it("keeps MLflow's error codes and names the URL; a server that is down is TEMPORARILY_UNAVAILABLE", async () => {
    const registry = new RestModelRegistryStore(server.url);
    await expect(registry.getRegisteredModel('nope')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      url: `${server.url}/api/2.0/mlflow/registered-models/get?name=nope`,
    });
    await registry.createRegisteredModel('taken');
    await expect(registry.createRegisteredModel('taken')).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS' });
    const down = new RestModelRegistryStore('http://127.0.0.1:9');
    await expect(down.searchRegisteredModels()).rejects.toMatchObject({
      code: 'TEMPORARILY_UNAVAILABLE',
      url: expect.stringContaining('http://127.0.0.1:9/api/2.0/mlflow/registered-models/search'),
      hint: expect.stringContaining('server is running'),
    });
  });
});
