import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
