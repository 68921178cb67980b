import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelFiles } from './check-model-files.ts';
import { gpt2 } from './index.ts';

const FIXTURE = new URL('./fixtures/tiny-gpt2/', import.meta.url);
const FILES = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
const sha384 = (bytes: Uint8Array) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

describe('checkModelFiles', () => {
  let server: Server;
  let folder: string;
  const served = new Map<string, Uint8Array>();
  const temporary: string[] = [];
  const emptyFolder = async () => {
    const made = await mkdtemp(join(tmpdir(), 'plugboard-check-models-'));
    temporary.push(made);
    return made;
  };
  beforeAll(async () => {
    for (const file of FILES) served.set(file, new Uint8Array(await readFile(new URL(file, FIXTURE))));
    server = createServer((request, response) => {
      const bytes = served.get((request.url ?? '').replace(/^\/tiny-gpt2\//, ''));
      if (bytes) response.writeHead(200).end(bytes);
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    folder = `http://127.0.0.1:${(server.address() as { port: number }).port}/tiny-gpt2/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.all(temporary.map((made) => rm(made, { recursive: true, force: true })));
  });

  it('reads each recorded file as a load would — the model cache first, then its URL — and gives the SHA-384 or the problem', { timeout: 30_000 }, async () => {
    const cacheDir = await emptyFolder();
    const [model] = await gpt2({ model_name: folder, cache_dir: cacheDir });
    const recorded = model.provenance;
    await model.dispose();
    expect(recorded.files.map((file) => file.file)).toEqual(FILES);

    // Nothing changed: every file has the recorded digest.
    expect(await checkModelFiles(recorded, { cacheDir })).toEqual(recorded.files.map((file) => ({ file: file.file, sha384: file.sha384 })));

    // The host now serves another config.json and no tokenizer.json.
    const changed = new TextEncoder().encode(`${new TextDecoder().decode(served.get('config.json'))}\n`);
    served.set('config.json', changed);
    served.delete('tokenizer.json');
    try {
      // The cache still holds the bytes that ran, and a load here would read those.
      expect((await checkModelFiles(recorded, { cacheDir })).map((state) => state.sha384)).toEqual(recorded.files.map((file) => file.sha384));

      // Without them in the cache, the host's bytes are what a load would read.
      const elsewhere = await emptyFolder();
      const now = await checkModelFiles(recorded, { cacheDir: elsewhere });
      expect(now.find((state) => state.file === 'config.json')).toEqual({ file: 'config.json', sha384: sha384(changed) });
      expect(now.find((state) => state.file === 'tokenizer.json')).toEqual({ file: 'tokenizer.json', problem: 'the model folder has no file tokenizer.json' });
      expect(now.find((state) => state.file === 'onnx/model.onnx')!.sha384).toBe(recorded.files.find((file) => file.file === 'onnx/model.onnx')!.sha384);
      // The check keeps nothing it fetched.
      expect(await readdir(elsewhere)).toEqual([]);
    } finally {
      for (const file of FILES) served.set(file, new Uint8Array(await readFile(new URL(file, FIXTURE))));
    }
  });

  it('names the folder when the run recorded one that is not a URL', async () => {
    const states = await checkModelFiles({ plugin: 'gpt2', model_name: 'x', folder: 'not a url', files: [{ file: 'config.json', url: 'not a url/config.json', sha384: `sha384-${'A'.repeat(64)}`, size: 1 }] }, { cacheDir: await emptyFolder() });
    expect(states).toEqual([{ file: 'config.json', problem: 'the recorded folder "not a url" is not a URL' }]);
  });
});
