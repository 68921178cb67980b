import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { bleu, computeMetric, f1 } from '../plugins/metrics/index.ts';
import { runCli } from './run-cli.ts';

let folder: string;
/** Built-in plugins carry the package's version. */
const { version: VERSION } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const environment = sourceEnvironment();

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: folder,
    hostOptions: { environment },
  });
  return { code, stdout, stderr };
}

const ROWS = [
  { prediction: 'the cat sat on the mat', reference: 'the cat sat on the mat' },
  { prediction: 'a dog ran in the park', reference: 'the dog ran through the park' },
  { prediction: 'hello there world', reference: 'hello world' },
];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-cli-'));
  await writeFile(join(folder, 'pairs.jsonl'), ROWS.map((row) => JSON.stringify(row)).join('\n') + '\n');
  await writeFile(join(folder, 'labels.csv'), 'id,prediction,reference\r\n1,cat,cat\r\n2,dog,cat\r\n3,dog,dog\r\n4,cat,dog\r\n5,cat,cat\r\n');
  await writeFile(join(folder, 'labels.tsv'), 'prediction\treference\nx\tx\ny\tx\n');
  await writeFile(join(folder, 'short-row.csv'), 'prediction,reference\na,a\n\nb\n');
  await writeFile(join(folder, 'missing-field.jsonl'), '{"prediction":"a","reference":"a"}\n\n{"pred":"b","reference":"b"}\n');
  await writeFile(join(folder, 'numbers.jsonl'), '{"prediction":"a b","reference":"a b"}\n{"prediction":7,"reference":"a"}\n');
  await writeFile(
    join(folder, 'with-nulls.jsonl'),
    [ROWS[0], { prediction: null, reference: 'x' }, ROWS[1], { reference: 'y' }, { prediction: 'z', reference: null }, ROWS[2]].map((row) => JSON.stringify(row)).join('\n') + '\n',
  );
  await writeFile(join(folder, 'multi.jsonl'), '{"prediction":"the cat","reference":["a cat","the cat"]}\n{"prediction":"a dog","reference":["the dog","a dog"]}\n');
  await writeFile(join(folder, 'logprobs.jsonl'), '{"prediction":[-0.5,-1.5]}\n{"prediction":[-1.0]}\n');
  await writeFile(join(folder, 'data.xyz'), 'x');
  await writeFile(join(folder, 'good.js'), "export const count = Object.assign((predictions) => predictions.length, { api: 'v1' });\n");
  await writeFile(join(folder, 'shapeless.js'), 'export const wrong = 42;\n');
  await writeFile(join(folder, 'good-manifest.json'), JSON.stringify({ manifestVersion: 1, name: 'team', groups: { 'codex_ml.metrics': { count: './good.js#count' } } }));
  await writeFile(
    join(folder, 'mixed-manifest.json'),
    JSON.stringify({ manifestVersion: 1, name: 'mixed', groups: { 'codex_ml.metrics': { count: './good.js#count', wrong: './shapeless.js#wrong', gone: './absent.js#gone' } } }),
  );
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('plugboard eval', () => {
  it('prints one JSON object with the metric, the row count and the result the metric gives', async () => {
    const { code, stdout, stderr } = await cli('eval', '--metric', 'bleu', '--data', 'pairs.jsonl');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const direct = await computeMetric(bleu, ROWS.map((row) => row.prediction), ROWS.map((row) => row.reference));
    expect(JSON.parse(stdout)).toEqual({ metric: 'bleu', rows: 3, result: JSON.parse(JSON.stringify(direct)) });
  });

  it('streams in batches and gets the same result as one batch', async () => {
    const whole = await cli('eval', '--metric', 'bleu', '--data', 'pairs.jsonl');
    const sliced = await cli('eval', '--metric', 'bleu', '--data', 'pairs.jsonl', '--batch-size', '1');
    expect(sliced.stdout).toBe(whole.stdout);
  });

  it('picks the loader from the extension, with tabs for .tsv', async () => {
    const csv = await cli('eval', '--metric', 'accuracy', '--data', 'labels.csv');
    expect(JSON.parse(csv.stdout)).toEqual({ metric: 'accuracy', rows: 5, result: 0.6 });
    const tsv = await cli('eval', '--metric', 'accuracy', '--data', 'labels.tsv');
    expect(JSON.parse(tsv.stdout)).toEqual({ metric: 'accuracy', rows: 2, result: 0.5 });
  });

  it('reads --option values as JSON when they parse, and gives METRIC.KEY options to that metric only', async () => {
    const { code, stdout } = await cli('eval', '--metric', 'f1', '--metric', 'accuracy', '--data', 'labels.csv', '--option', 'f1.average="macro"');
    expect(code).toBe(0);
    const labels = { predictions: ['cat', 'dog', 'dog', 'cat', 'cat'], references: ['cat', 'cat', 'dog', 'dog', 'cat'] };
    expect(JSON.parse(stdout)).toEqual({
      metrics: ['f1', 'accuracy'],
      rows: 5,
      results: { f1: await computeMetric(f1, labels.predictions, labels.references, { average: 'macro' }), accuracy: 0.6 },
    });
  });

  it('takes the prediction and reference fields it is told to', async () => {
    const { code, stdout } = await cli('eval', '--metric', 'exact_match', '--data', 'labels.csv', '--predictions', 'reference', '--references', 'reference');
    expect({ code, result: JSON.parse(stdout).result }).toEqual({ code: 0, result: 1 });
  });

  it('passes an array-valued reference field as several references', async () => {
    const { code, stdout } = await cli('eval', '--metric', 'bleu', '--data', 'multi.jsonl');
    expect(code).toBe(0);
    const direct = await computeMetric(bleu, ['the cat', 'a dog'], [['a cat', 'the cat'], ['the dog', 'a dog']]);
    expect(JSON.parse(stdout).result).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it('runs a metric that needs no references on records without a reference field', async () => {
    const { code, stdout } = await cli('eval', '--metric', 'ppl', '--data', 'logprobs.jsonl');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).result.score).toBeCloseTo(Math.exp(1), 12);
  });

  it('exits 1 with one stderr line naming the file, line and field of a record without the field', async () => {
    const { code, stdout, stderr } = await cli('eval', '--metric', 'exact_match', '--data', 'missing-field.jsonl');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toEqual([
      'plugboard: missing-field.jsonl line 3, field "prediction": the record has no field "prediction" (its fields: pred, reference) (Choose the field that holds the prediction (columns.prediction), or pass --skip-invalid to skip such rows)',
    ]);
  });

  it('exits 1 with one line naming the line and missing column of a malformed CSV row', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'accuracy', '--data', 'short-row.csv');
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^plugboard: short-row\.csv line 4, field "reference": expected 2 fields \(prediction, reference\), found 1/);
    expect(stderr).toMatch(/or pass --skip-invalid to skip such rows\)\n$/);
  });

  it('points a metric’s complaint about a value at the line and field of the file', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'bleu', '--data', 'numbers.jsonl');
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^plugboard: numbers\.jsonl line 2, field "prediction": bleu: .*must be a string, received 7/);
  });

  it('skips malformed rows with --skip-invalid and says how many on stderr', async () => {
    const { code, stdout, stderr } = await cli('eval', '--metric', 'accuracy', '--data', 'short-row.csv', '--skip-invalid');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ metric: 'accuracy', rows: 1, result: 1, skipped: 1 });
    expect(stderr).toMatch(/^plugboard: skipped 1 row of short-row\.csv; the first, line 4: expected 2 fields/);
  });

  it('skips rows whose prediction or reference is null or missing with --skip-invalid, and counts them', async () => {
    const all = await cli('eval', '--metric', 'bleu', '--data', 'pairs.jsonl');
    const { code, stdout, stderr } = await cli('eval', '--metric', 'bleu', '--data', 'with-nulls.jsonl', '--skip-invalid');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toEqual({ metric: 'bleu', rows: 3, result: JSON.parse(all.stdout).result, skipped: 3 });
    expect(stderr).toBe('plugboard: skipped 3 rows of with-nulls.jsonl; the first, line 2: the record holds null in field "prediction"\n');
  });

  it('stops at a null prediction without --skip-invalid, naming the line and field', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'bleu', '--data', 'with-nulls.jsonl');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^plugboard: with-nulls\.jsonl line 2, field "prediction": bleu: the prediction must be a string, received null/);
  });

  it('names the line of a refused value in a later batch, not its place in the batch', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'bleu', '--data', 'numbers.jsonl', '--batch-size', '1');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^plugboard: numbers\.jsonl line 2, field "prediction": bleu: the prediction must be a string, received 7/);
  });

  it('exits 1 naming a data file that does not exist', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'accuracy', '--data', 'nowhere.csv');
    expect(code).toBe(1);
    expect(stderr).toMatch(/nowhere\.csv does not exist/);
  });

  it('exits 2 with the usage for an unknown metric, listing the known ones', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'blue', '--data', 'pairs.jsonl');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no codex_ml\.metrics entry point is named "blue"; known: accuracy, bleu,/);
    expect(stderr).toContain('Usage: plugboard eval --metric NAME --data FILE');
  });

  it('names the unknown loader, not the unknown metric, when both are wrong', async () => {
    const { code, stderr } = await cli('eval', '--metric', 'blue', '--loader', 'jsonlines', '--data', 'pairs.jsonl');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no codex_ml\.data_loaders entry point is named "jsonlines"/);
    expect(stderr).not.toContain('"blue"');
  });

  it('exits 2 with the usage for an unknown flag, a missing --data, an unknown extension or a bad --option', async () => {
    for (const argv of [
      ['eval', '--metric', 'bleu', '--data', 'pairs.jsonl', '--colour'],
      ['eval', '--metric', 'bleu'],
      ['eval', '--metric', 'bleu', '--data', 'data.xyz'],
      ['eval', '--metric', 'bleu', '--data', 'pairs.jsonl', '--option', 'sentence'],
      ['eval', '--metric', 'f1', '--data', 'labels.csv', '--option', 'average=sideways'],
    ]) {
      const { code, stderr } = await cli(...argv);
      expect({ argv, code, usage: stderr.includes('Usage: plugboard eval') }).toEqual({ argv, code: 2, usage: true });
    }
  });

  it('writes NaN and Infinity as strings, since JSON has neither', async () => {
    await writeFile(join(folder, 'no-tokens.jsonl'), '{"prediction":[]}\n');
    const { code, stdout } = await cli('eval', '--metric', 'ppl', '--data', 'no-tokens.jsonl');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rows: 1, result: { score: 'NaN' } });
  });

  it('exits 1 with one line naming a file that has no rows to score: empty, a header only, or every row skipped', async () => {
    await writeFile(join(folder, 'empty.jsonl'), '');
    await writeFile(join(folder, 'header-only.csv'), 'prediction,reference\r\n');
    await writeFile(join(folder, 'all-bad.csv'), 'prediction,reference\na\nb\n');
    for (const [file, extra, problem] of [
      ['empty.jsonl', [], 'empty.jsonl has no rows to score, so no metric has a value'],
      ['header-only.csv', [], 'header-only.csv has no rows to score, so no metric has a value'],
      ['all-bad.csv', ['--skip-invalid'], 'all-bad.csv has no rows to score: all 2 of its rows were skipped as malformed'],
    ] as const) {
      const { code, stdout, stderr } = await cli('eval', '--metric', 'ppl', '--metric', 'accuracy', '--data', file, ...extra);
      expect({ file, code, stdout }).toEqual({ file, code: 1, stdout: '' });
      const last = stderr.trimEnd().split('\n').at(-1)!;
      expect(last.startsWith(`plugboard: [codex_ml.data_loaders/${file.endsWith('.csv') ? 'csv' : 'jsonl'}] ${problem} (`)).toBe(true);
    }
  });

  it('exits 1 with one line naming the line and byte of bytes that are not UTF-8', async () => {
    await writeFile(join(folder, 'latin1.csv'), Buffer.concat([Buffer.from('prediction,reference\na,a\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x78, 0x0a])]));
    const { code, stdout, stderr } = await cli('eval', '--metric', 'accuracy', '--data', 'latin1.csv');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^plugboard: \[codex_ml\.data_loaders\/csv\] latin1\.csv line 3, byte 28 \(byte 4 of the line\): 0xE9 does not begin a valid UTF-8 character/);
  });

  it('reads a CSV file whose header holds a quoted CR before its first line break', async () => {
    await writeFile(join(folder, 'quoted-cr.csv'), '"pred\rx",reference\na,a\nb,c\n');
    const { code, stdout, stderr } = await cli('eval', '--metric', 'accuracy', '--data', 'quoted-cr.csv', '--predictions', 'pred\rx');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ metric: 'accuracy', rows: 2, result: 0.5 });
  });
});

describe('plugboard list', () => {
  it('lists every group and entry point with version, api, manifest and description', async () => {
    const { code, stdout } = await cli('list');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^codex_ml\\.data_loaders\\n {2}csv +${VERSION.replace(/\./g, '\\.')} +v1 +builtin +CSV with a header row`, 'm'));
    expect(stdout).toMatch(new RegExp(`^ {2}bleu +${VERSION.replace(/\./g, '\\.')} +v1 +builtin +Corpus BLEU`, 'm'));
  });

  it('lists one group as JSON, with manifests given on the command line first', async () => {
    const { code, stdout } = await cli('list', '--group', 'codex_ml.metrics', '--json', '--manifest', 'good-manifest.json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { group: string; name: string; manifest: string; api: string | null }[];
    expect(new Set(listed.map((entry) => entry.group))).toEqual(new Set(['codex_ml.metrics']));
    expect(listed.find((entry) => entry.name === 'count')).toMatchObject({ manifest: 'team', api: null });
    expect(listed.find((entry) => entry.name === 'rouge')).toMatchObject({ manifest: 'builtin', api: 'v1' });
  });

  it('exits 1 for a group no manifest declares, naming the known groups, and prints no listing', async () => {
    const { code, stdout, stderr } = await cli('list', '--group', 'nope');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^plugboard: no manifest declares the group "nope" → at --group \(Known groups: codex_ml\.data_loaders, .*codex_ml\.metrics, .*mlflow\.tracking_store.*\)\n$/);
  });
});

describe('plugboard check', () => {
  it('loads every plugin of a good manifest and exits 0', async () => {
    const { code, stdout } = await cli('check', 'good-manifest.json');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok {4}codex_ml\.metrics\/count/);
    expect(stdout).toMatch(/1 loaded, 0 failed\n$/);
  });

  it('reports each failing plugin with its stage and exits 1', async () => {
    const { code, stdout } = await cli('check', 'mixed-manifest.json', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { loaded: { name: string }[]; errors: { plugin: string; stage: string; problem: string }[] };
    expect(report.loaded.map((entry) => entry.name)).toEqual(['count']);
    expect(report.errors.map((error) => [error.plugin, error.stage]).sort()).toEqual([['gone', 'fetch'], ['wrong', 'validate']]);
    expect(report.errors.every((error) => typeof error.problem === 'string' && !('message' in error))).toBe(true);
  });

  it('exits 1 for a manifest that is not valid, and 2 without a manifest', async () => {
    await writeFile(join(folder, 'broken-manifest.json'), '{"manifestVersion": 1, "groups": {"codex_ml.metrics": {"x": 5}}}');
    const broken = await cli('check', 'broken-manifest.json');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL {2}\[manifest\] \[codex_ml\.metrics\/x\] .*expected string or object, received number → at groups\["codex_ml\.metrics"\]\.x\n/);
    // Each hint once, from the problem's own field.
    expect(broken.stdout.match(/hint: /g)).toHaveLength(1);
    expect((await cli('check')).code).toBe(2);
  });
});

describe('plugboard', () => {
  it('exits 2 with the usage for no command or an unknown one, and 0 for --help', async () => {
    expect((await cli()).code).toBe(2);
    const unknown = await cli('train');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "train"; commands: eval, list, check/);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('plugboard check MANIFEST');
  });

  it('prints the package version for --version and -V and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      expect(await cli(flag)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('lists every built-in metric\'s declared options, values and defaults under eval --help', async () => {
    const help = await cli('eval', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {4}bleu:\n {6}lowercase=true\|false /m);
    expect(help.stdout).toMatch(/^ {6}tokenize=13a\|none\|intl\|zh\|char\|flores101\|flores200 +sacreBLEU tokenizer .*\(default: "13a"\)$/m);
    expect(help.stdout).toMatch(/^ {6}regexes_to_ignore=\["TEXT", …\] +.*\(default: not set\)$/m);
    expect(help.stdout).toMatch(/^ {6}char_order=INTEGER 0\.\.32 /m);
    expect(help.stdout).toMatch(/^ {4}accuracy: no options$/m);
  });
});
