// The page and the model registry of a real MLflow tracking server: models registered through the http(s)
// registry plugin are read back by MLflow's own Python client, and the other way round.
import { expect, test } from '@playwright/test';
// @ts-expect-error — a plain ES module script without types
import { runMlflowPython } from '../scripts/mlflow-server.js';

const MLFLOW = process.env['PLUGBOARD_MLFLOW_URL'] ?? '';
const python = (script: string, args: string[] = []): Promise<string> => runMlflowPython(MLFLOW, script, args);

// MLflow's Python client takes a while to import on a busy machine.
test.describe.configure({ timeout: 120_000 });

test.beforeAll(() => {
  if (!MLFLOW) throw new Error('no MLflow server: run through `npm test`, or start one with node scripts/mlflow-server.js -- npx playwright test');
});

// Reads back what the page registered, then registers a model of its own for the page to find.
const READ_BACK_AND_REGISTER = `
import json, sys
from mlflow import MlflowClient
client = MlflowClient()
name, copy_name, own = sys.argv[1], sys.argv[2], sys.argv[3]
model = client.get_registered_model(name)
copy = client.get_model_version(copy_name, "1")
print("JSON=" + json.dumps({"tags": model.tags, "aliases": model.aliases,
  "champion": client.get_model_version_by_alias(name, "champion").version,
  "copy": [copy.source, copy.run_id, copy.tags], "download": client.get_model_version_download_uri(copy_name, "1")}))
client.create_registered_model(own, tags={"kind": "classifier"})
client.create_model_version(own, "s3://bucket/python/1", tags={"k": "v"})
client.create_model_version(own, "s3://bucket/python/2")
`;

test("models the page registers on the MLflow server read back the same through MLflow's Python client, and the page finds the client's", async ({ page }) => {
  const name = `page-model-${Date.now()}`;
  const own = `python-model-${Date.now()}`;
  await page.goto('/package.json');
  const copy = await page.evaluate(async ({ uri, name }) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const registry = await host.modelRegistry(uri);
    await registry.createRegisteredModel(name, { tags: [{ key: 'team', value: 'nlp' }] });
    await registry.createModelVersion(name, 's3://bucket/page/1', 'run-1', [{ key: 'k', value: 'v' }]);
    await registry.createModelVersion(name, 's3://bucket/page/2', 'run-2');
    await registry.setRegisteredModelAlias(name, 'champion', 2);
    const made = await registry.copyModelVersion(`models:/${name}@champion`, `${name}-prod`);
    return [made.name, made.version, made.source];
  }, { uri: MLFLOW, name });
  expect(copy).toEqual([`${name}-prod`, '1', `models:/${name}/2`]);
  const seen = JSON.parse(/^JSON=(.*)$/m.exec(await python(READ_BACK_AND_REGISTER, [name, `${name}-prod`, own]))![1]!);
  expect(seen).toEqual({
    tags: { team: 'nlp' },
    aliases: { champion: '2' },
    champion: '2',
    copy: [`models:/${name}/2`, 'run-2', {}],
    download: 's3://bucket/page/2',
  });
  const found = await page.evaluate(async ({ uri, own }) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const registry = await (await createHost({ onWarning: () => {} })).modelRegistry(uri);
    const models = await registry.searchRegisteredModels({ filter: `name IN ('${own}', 'absent') AND tags.kind = 'classifier'` });
    const versions = await registry.searchModelVersions({ filter: `name = '${own}' AND version_number = '1'` });
    return [models.registeredModels.map((model: { name: string }) => model.name), versions.modelVersions.map((version: { source: string; tags: unknown }) => [version.source, version.tags])];
  }, { uri: MLFLOW, own });
  expect(found).toEqual([[own], [['s3://bucket/python/1', [{ key: 'k', value: 'v' }]]]]);
});
