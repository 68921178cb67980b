import { describe, expect, it } from 'vitest';
import type { RegistryTag } from '../model-registry/index.ts';
import { RestModelRegistryStore } from './index.ts';

/** A store whose fetch records each request and answers like MLflow's server (an empty JSON object). */
function recordingStore(): { store: RestModelRegistryStore; requests: { url: string; method: string; body: unknown }[] } {
  const requests: { url: string; method: string; body: unknown }[] = [];
  const store = new RestModelRegistryStore('http://mlflow.test', {
    fetch: async (input, init) => {
      requests.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    },
  });
  return { store, requests };
}

describe('RestModelRegistryStore', () => {
  it('refuses a tag value that is not a string before sending anything, since the server would store it as ""', async () => {
    const { store, requests } = recordingStore();
    const missing = { key: 'k' } as unknown as RegistryTag;
    await expect(store.setRegisteredModelTag('m', missing)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'tag.value' });
    await expect(store.setModelVersionTag('m', 1, { key: 'k', value: null } as unknown as RegistryTag)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'tag.value' });
    await expect(store.createRegisteredModel('m', { tags: [{ key: 'ok', value: 'v' }, missing] })).rejects.toMatchObject({ field: 'tags[1].value' });
    await expect(store.createModelVersion('m', 's3://bucket/m', undefined, [{ key: 'n', value: 5 } as unknown as RegistryTag])).rejects.toMatchObject({
      problem: 'tag "n" value must be a string, received number',
    });
    expect(requests).toEqual([]);
  });

  it("sends MLflow's methods and fields: PATCH to update, DELETE with a JSON body, versions as strings, unset fields left out", async () => {
    const { store, requests } = recordingStore();
    await store.updateModelVersion('m', 3, 'words');
    await store.deleteRegisteredModelAlias('m', 'champion');
    await store.createModelVersion('m', 's3://bucket/m');
    await store.searchModelVersions({ filter: "name = 'm'", orderBy: ['version_number DESC', 'name'] });
    expect(requests).toEqual([
      { url: 'http://mlflow.test/api/2.0/mlflow/model-versions/update', method: 'PATCH', body: { name: 'm', version: '3', description: 'words' } },
      { url: 'http://mlflow.test/api/2.0/mlflow/registered-models/alias', method: 'DELETE', body: { name: 'm', alias: 'champion' } },
      { url: 'http://mlflow.test/api/2.0/mlflow/model-versions/create', method: 'POST', body: { name: 'm', source: 's3://bucket/m' } },
      {
        url: `http://mlflow.test/api/2.0/mlflow/model-versions/search?max_results=10000&filter=${encodeURIComponent("name = 'm'").replace(/%20/g, '+').replace(/'/g, '%27')}&order_by=version_number+DESC&order_by=name`,
        method: 'GET',
        body: undefined,
      },
    ]);
  });
});
