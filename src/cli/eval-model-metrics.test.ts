import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { runCli } from './run-cli.ts';

const FIXTURES = new URL('../plugins/models/fixtures/', import.meta.url);
const reference = JSON.parse(await readFile(new URL('reference.json', FIXTURES), 'utf8')) as {
  'tiny-gpt2': { texts: string[]; perplexity: { options: Record<string, unknown>; result: { perplexities: number[]; mean_perplexity: number } }[] };
};
let folder: string;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: folder, hostOptions: { environment: sourceEnvironment() } });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-cli-models-'));
  await writeFile(join(folder, 'texts.jsonl'), reference['tiny-gpt2'].texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('plugboard eval with a model metric', () => {
  it('scores a file of texts with ppl and model_id, without references, as evaluate does', async () => {
    const model = fileURLToPath(new URL('tiny-gpt2', FIXTURES));
    const { code, stdout, stderr } = await cli('eval', '--metric', 'ppl', '--option', `model_id=${model}`, '--option', 'batch_size=2', '--data', 'texts.jsonl', '--predictions', 'text');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const output = JSON.parse(stdout) as { metric: string; rows: number; result: { perplexities: number[]; mean_perplexity: number } };
    const expected = reference['tiny-gpt2'].perplexity.find((entry) => entry.options['batch_size'] === 2 && entry.options['max_length'] === undefined)!.result;
    expect({ metric: output.metric, rows: output.rows }).toEqual({ metric: 'ppl', rows: expected.perplexities.length });
    output.result.perplexities.forEach((value, row) => expect(Math.abs(value - expected.perplexities[row]!) / expected.perplexities[row]!).toBeLessThanOrEqual(1e-5));
    expect(Math.abs(output.result.mean_perplexity - expected.mean_perplexity) / expected.mean_perplexity).toBeLessThanOrEqual(1e-5);
  });

  it('prints the model files ppl ran with their SHA-384 and records them in the logged run', { timeout: 60_000 }, async () => {
    const model = new URL('tiny-gpt2/', FIXTURES);
    const uri = `idb://cli-models-${Math.random().toString(36).slice(2)}`;
    const { code, stdout, stderr } = await cli('eval', '--metric', 'ppl', '--option', `model_id=${fileURLToPath(model)}`, '--data', 'texts.jsonl', '--predictions', 'text', '--tracking-uri', uri);
    expect(code).toBe(0);
    expect(stderr).toContain('plugboard: logged run');
    const output = JSON.parse(stdout) as { result: object; runId: string; models: Record<string, { folder: string; files: { file: string; sha384: string }[] }[]> };
    expect(Object.keys(output.result).sort()).toEqual(['mean_perplexity', 'perplexities']);
    const digests = Object.fromEntries(
      await Promise.all(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'].map(async (file) => [file, `sha384-${createHash('sha384').update(await readFile(new URL(file, model))).digest('base64')}`])),
    );
    expect(Object.keys(output.models)).toEqual(['ppl']);
    expect(output.models['ppl']![0]!.folder).toBe(model.href);
    expect(Object.fromEntries(output.models['ppl']![0]!.files.map((file) => [file.file, file.sha384]))).toEqual(digests);
    const run = await (await (await createHost({ environment: sourceEnvironment() })).trackingStore(uri)).getRun(output.runId);
    const tag = run.data.tags.find((entry) => entry.key === 'plugboard.provenance.model.ppl');
    expect(JSON.parse(tag!.value)[0].files).toEqual(digests);
  });
});
