import { describe, expect, it } from 'vitest';
import { describeArtifactRepositoryConformance } from '../testing/index.ts';
import { RestArtifactRepository, parseArtifactUri, resolveArtifactUri } from './index.ts';
import { testMlflowServer } from './test-server.test-helpers.ts';

const server = testMlflowServer();
let counter = 0;

// Each check gets its own root under the server's artifact proxy.
describeArtifactRepositoryConformance(
  async () => new RestArtifactRepository(`${server.url}/api/2.0/mlflow-artifacts/artifacts/conformance/${process.pid}-${Date.now()}-${++counter}`),
  { describe, it },
);

describe('RestArtifactRepository', () => {
  it('reads the artifact URIs MLflow hands out, resolving mlflow-artifacts:/ against the tracking URI', () => {
    expect(parseArtifactUri('mlflow-artifacts://127.0.0.1:5000/0/abc/artifacts')).toEqual({ baseUrl: 'http://127.0.0.1:5000', root: '0/abc/artifacts' });
    expect(parseArtifactUri('https://mlflow.example/prefix/api/2.0/mlflow-artifacts/artifacts/0/abc')).toEqual({ baseUrl: 'https://mlflow.example/prefix', root: '0/abc' });
    expect(parseArtifactUri('mlflow-artifacts:/0/abc/artifacts', 'https://mlflow.example/')).toEqual({ baseUrl: 'https://mlflow.example', root: '0/abc/artifacts' });
    expect(resolveArtifactUri('mlflow-artifacts:/0/abc/artifacts', 'http://h:5000/')).toBe('http://h:5000/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts');
    expect(resolveArtifactUri('idb://plugboard/0/abc/artifacts', 'http://h:5000')).toBe('idb://plugboard/0/abc/artifacts');
    expect(() => parseArtifactUri('mlflow-artifacts:/0/abc')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'artifactUri' }));
  });

  it('streams a download and tells a missing file from a directory', async () => {
    const repository = new RestArtifactRepository(`${server.url}/api/2.0/mlflow-artifacts/artifacts/streams/${Date.now()}`);
    const bytes = new Uint8Array(300_000).map((_, index) => (index * 31) % 251);
    await repository.logArtifact(new Blob([bytes]), 'dir/big.bin');
    const chunks: Uint8Array[] = [];
    const reader = (await repository.openArtifact('dir/big.bin')).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    await expect(repository.downloadArtifact('dir/missing.bin')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', field: 'path' });
    await expect(repository.downloadArtifact('dir')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'path' });
  });
});
