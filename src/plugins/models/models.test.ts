import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateInstance } from '../../adapters/index.ts';
import { createHost } from '../../host/index.ts';
import { sourceEnvironment } from '../../host/source-environment.test-helpers.ts';
import { PlugboardError } from '../../errors/index.ts';
import { bertBaseUncased, gpt2, minilm } from './index.ts';
import { sha256Hex } from './file-cache.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const folder = (name: string) => new URL(`${name}/`, FIXTURES).href;

interface Reference {
  'tiny-gpt2': { rows: { text: string; input_ids: number[]; logits: number[][] }[] };
  'tiny-bert': EncoderReference;
  'tiny-minilm': EncoderReference;
}
interface EncoderReference {
  texts: string[];
  input_ids: number[][];
  embeddings: number[][];
}
const reference = JSON.parse(await readFile(new URL('reference.json', FIXTURES), 'utf8')) as Reference;

function expectAllClose(actual: ArrayLike<number>, expected: readonly number[], where: string, tolerance = 1e-5): void {
  expect(actual.length, where).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < expected.length; index++) worst = Math.max(worst, Math.abs(actual[index]! - expected[index]!));
  expect(worst, where).toBeLessThanOrEqual(tolerance);
}

async function rejection(promise: Promise<unknown>): Promise<PlugboardError> {
  const thrown = await promise.then(() => undefined, (error: unknown) => error);
  expect(thrown).toBeInstanceOf(PlugboardError);
  return thrown as PlugboardError;
}

describe('gpt2', () => {
  it('gives the logits PyTorch gives for the tiny GPT-2, within 1e-5, from the ids Python tokenizes', async () => {
    const [model, tokenizer] = await gpt2({ model_name: folder('tiny-gpt2') });
    for (const row of reference['tiny-gpt2'].rows) {
      const ids = tokenizer.encode(row.text, { addSpecialTokens: false });
      expect(ids, row.text).toEqual(row.input_ids);
      const { logits, dims } = await model.forward([ids], [ids.map(() => 1)]);
      expect(dims).toEqual([1, ids.length, model.vocabularySize]);
      expectAllClose(logits, row.logits.flat(), row.text);
    }
  });

  it('gives every row of a right-padded batch the logits it has alone', async () => {
    const [model, tokenizer] = await gpt2({ model_name: folder('tiny-gpt2') });
    const rows = reference['tiny-gpt2'].rows.slice(0, 2);
    const width = Math.max(...rows.map((row) => row.input_ids.length));
    const ids = rows.map((row) => [...row.input_ids, ...new Array<number>(width - row.input_ids.length).fill(tokenizer.specialTokens.eos!)]);
    const mask = rows.map((row) => row.input_ids.map(() => 1).concat(new Array<number>(width - row.input_ids.length).fill(0)));
    const { logits, dims } = await model.forward(ids, mask);
    const vocabulary = dims[2];
    rows.forEach((row, index) => {
      const own = logits.subarray(index * width * vocabulary, (index * width + row.input_ids.length) * vocabulary);
      expectAllClose(own, row.logits.flat(), row.text);
    });
  });
});

describe('minilm and bert_base_uncased', () => {
  for (const [name, factory, fixture] of [['minilm', minilm, 'tiny-minilm'], ['bert_base_uncased', bertBaseUncased, 'tiny-bert']] as const) {
    it(`${name}: embeds texts as PyTorch mean-pools and normalises them, within 1e-5`, async () => {
      const [model, tokenizer] = await factory({ model_name: folder(fixture) });
      const expected = reference[fixture];
      expect(expected.texts.map((text) => tokenizer.encode(text))).toEqual(expected.input_ids);
      const embeddings = await model.embed(expected.texts, { batchSize: 3 });
      expect(embeddings).toHaveLength(expected.texts.length);
      embeddings.forEach((row, index) => expectAllClose(row, expected.embeddings[index]!, expected.texts[index]!));
      expect(await model.embed([])).toEqual([]);
    });
  }
});

describe('model files', () => {
  it('records the SHA-384 (as sha384-<base64>) and SHA-256 of every file the model was built from', async () => {
    const [model] = await minilm({ model_name: folder('tiny-minilm') });
    const files = model.provenance.files.map((record) => record.file);
    expect(files).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const weights = model.provenance.files.find((record) => record.file === 'onnx/model.onnx')!;
    const bytes = new Uint8Array(await readFile(new URL('tiny-minilm/onnx/model.onnx', FIXTURES)));
    expect(weights).toMatchObject({ sha384: `sha384-${createHash('sha384').update(bytes).digest('base64')}`, sha256: await sha256Hex(bytes), size: bytes.byteLength, cached: false });
    expect(model.provenance).toMatchObject({ plugin: 'minilm', dtype: 'fp32', revision: 'main', folder: folder('tiny-minilm') });
  });

  describe('from a model host', () => {
    let server: Server;
    let host: string;
    let cacheDir: string;
    const requests: string[] = [];
    beforeAll(async () => {
      cacheDir = await mkdtemp(join(tmpdir(), 'plugboard-models-'));
      server = createServer((request, response) => {
        requests.push(request.url ?? '');
        // The Hub's layout: {id}/resolve/{revision}/{file}
        const match = /^\/([\w-]+\/[\w-]+)\/resolve\/main\/(.+)$/.exec(request.url ?? '');
        const file = match && match[1] === 'fixtures/tiny-minilm' ? new URL(`tiny-minilm/${match[2]}`, FIXTURES) : undefined;
        readFile(file ? fileURLToPath(file) : '/nonexistent').then(
          (bytes) => response.writeHead(200).end(bytes),
          () => response.writeHead(404).end('not found'),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      host = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('fetches a Hub id from remote_host, caches the files on disk and reads them from there the second time', async () => {
      const config = { model_name: 'fixtures/tiny-minilm', remote_host: host, cache_dir: cacheDir };
      const [first] = await minilm(config);
      const fetched = requests.length;
      expect(fetched).toBeGreaterThanOrEqual(4);
      const [second] = await minilm(config);
      expect(requests.length).toBe(fetched);
      expect(second.provenance.files.every((record) => record.cached)).toBe(true);
      expect(second.provenance.files.map((record) => record.sha256)).toEqual(first.provenance.files.map((record) => record.sha256));
      // The SHA-384 is taken from the bytes read, cached or not: the cache's own record is not what is trusted.
      for (const record of second.provenance.files) {
        const bytes = await readFile(new URL(`tiny-minilm/${record.file}`, FIXTURES));
        expect(record.sha384).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
      }
      expect(await second.embed(['every plugin learns'])).toEqual(await first.embed(['every plugin learns']));
    });

    it('refuses model files from an origin outside allowed_origins, naming it', async () => {
      const error = await rejection(minilm({ model_name: 'fixtures/tiny-minilm', remote_host: host, allowed_origins: ['https://example.org'], cache: false }));
      expect(error).toMatchObject({ code: 'MODEL_ORIGIN', group: 'codex_ml.models', plugin: 'minilm', field: 'model_name', url: `${host}/fixtures/tiny-minilm/resolve/main/config.json` });
    });

    it('says which model is unknown when the host has no such folder', async () => {
      const error = await rejection(minilm({ model_name: 'fixtures/no-such-model', remote_host: host, cache: false }));
      expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', plugin: 'minilm', field: 'model_name', url: `${host}/fixtures/no-such-model/resolve/main/config.json` });
      expect(error.message).toContain('no model "fixtures/no-such-model"');
    });
  });
});

describe('bad configs', () => {
  it('names an unknown field and lists the valid ones', async () => {
    const error = await rejection(gpt2({ model_name: folder('tiny-gpt2'), dtpye: 'fp32' } as never));
    expect(error).toMatchObject({ code: 'MODEL_BAD_CONFIG', plugin: 'gpt2', field: '(root)' });
    expect(error.problem).toContain('unknown key "dtpye"');
    expect(error.hint).toContain('dtype');
  });

  it('names a field of the wrong type or outside its choices', async () => {
    expect(await rejection(gpt2({ model_name: 42 } as never))).toMatchObject({ code: 'MODEL_BAD_CONFIG', field: 'model_name' });
    expect(await rejection(gpt2({ model_name: folder('tiny-gpt2'), device: 'tpu' } as never))).toMatchObject({ code: 'MODEL_BAD_CONFIG', field: 'device' });
    expect(await rejection(minilm({ model_name: '' }))).toMatchObject({ code: 'MODEL_BAD_CONFIG', field: 'model_name' });
  });

  it('names dtype when the folder has no weights for it', async () => {
    const error = await rejection(gpt2({ model_name: folder('tiny-gpt2'), dtype: 'q8' }));
    expect(error).toMatchObject({ code: 'MODEL_DTYPE_MISSING', field: 'dtype', url: `${folder('tiny-gpt2')}onnx/model_quantized.onnx` });
    expect(error.problem).toContain('onnx/model_quantized.onnx');
  });

  it('names model_name when the local folder does not exist', async () => {
    const error = await rejection(bertBaseUncased({ model_name: folder('tiny-nothing') }));
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', plugin: 'bert_base_uncased', field: 'model_name' });
  });

  it('finds a Hub id under local_path', async () => {
    const [model] = await minilm({ model_name: 'tiny-minilm', local_path: fileURLToPath(FIXTURES) });
    expect(model.provenance.folder).toBe(folder('tiny-minilm'));
  });
});

describe('through the manifest', () => {
  it('loads the three factories and checks what gpt2 returns against the group contract', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const report = await host.loadGroup('codex_ml.models');
    expect(report.errors).toEqual([]);
    expect([...report.loaded].sort()).toEqual(['bert_base_uncased', 'gpt2', 'minilm']);
    const pair = await host.registry('codex_ml.models').resolveAndInstantiate('gpt2', { model_name: folder('tiny-gpt2') });
    expect(validateInstance(pair, { group: 'codex_ml.models', name: 'gpt2' })).toEqual([]);
    const [model, tokenizer] = pair as Awaited<ReturnType<typeof gpt2>>;
    expect(model.kind).toBe('causal-lm');
    expect(tokenizer.decode(tokenizer.encode('every plugin scores'))).toBe('every plugin scores');
  });
});
