import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handle } from '../../e2e/cdn-server.js';
import * as adapters from '../adapters/index.ts';
import { defaultEnvironment } from '../loader/index.ts';
import { SDK } from '../sdk/index.ts';
import { createHost } from './index.ts';

// Counts the contract checks, to hold the host to one check per loaded plugin.
vi.mock('../adapters/index.ts', async (original) => {
  const actual = await original<typeof import('../adapters/index.ts')>();
  return { ...actual, validatePlugin: vi.fn(actual.validatePlugin) };
});

const CDN = new URL('../../e2e/fixtures/cdn/', import.meta.url);
const manifest = (name: string) => new URL(name, CDN).href;
const quiet = { onWarning: () => {} };

describe('createHost', () => {
  it('lists groups sorted and discovers entry points without running plugin code', async () => {
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false });
    expect(host.groups()).toEqual([
      'codex_ml.data_loaders', 'codex_ml.metrics', 'codex_ml.models', 'codex_ml.plugins', 'codex_ml.tokenizers',
      'codex_ml.trainers', 'mlflow.artifact_repository', 'mlflow.model_registry_store', 'mlflow.run_context_provider',
      'mlflow.tracking_store', 'my-plugins',
    ]);
    expect(host.discover('codex_ml.metrics').map((e) => e.name)).toEqual(['char_count']);
    expect(host.discover('my-plugins')[0]).toMatchObject({ export: 'anything', version: '1.0.0', source: manifest('good.json') });
    expect(host.discover('no.such.group')).toEqual([]);
    expect(host.registry('codex_ml.metrics').size).toBe(0);
  });

  it('loads one good plugin of every stable group and registers it', async () => {
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false });
    for (const group of host.groups()) {
      const report = await host.loadGroup(group);
      expect(report.errors, group).toEqual([]);
      expect(host.registry(group).names()).toEqual(host.discover(group).map((e) => e.name));
    }
    const metric = await host.load<(p: string[], r: string[]) => { score: number }>('codex_ml.metrics', 'char_count');
    expect(metric(['a', 'b'], ['a', 'c'])).toEqual({ score: 0.5 });
    expect(host.report()).toEqual([]);
  });

  it('gives a plugin that imports the SDK the host’s own SDK instance', async () => {
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false });
    await host.load('codex_ml.metrics', 'char_count');
    const { sdk } = await import(new URL('plugins/good.js', CDN).href);
    expect(sdk).toBe(SDK);
  });

  it('shares one load between concurrent calls', async () => {
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false });
    const [a, b] = await Promise.all([host.load('codex_ml.metrics', 'char_count'), host.load('codex_ml.metrics', 'char_count')]);
    expect(a).toBe(b);
  });

  it('reports each broken plugin with its stage and keeps loading the others', async () => {
    const host = await createHost({ manifests: [manifest('broken.json'), manifest('good.json')], builtins: false, importTimeoutMs: 500 });
    const report = await host.loadGroup('codex_ml.metrics');
    expect(report.loaded.sort()).toEqual(['char_count']);
    const stages = Object.fromEntries(report.errors.map((e) => [e.plugin, [e.stage, e.code]]));
    expect(stages).toEqual({
      throws_at_import: ['import', 'IMPORT_FAILED'],
      wrong_shape: ['validate', 'INVALID_PLUGIN'],
      half_accumulator: ['validate', 'INVALID_PLUGIN'],
      missing_export: ['lex', 'MISSING_EXPORT'],
      unmapped_import: ['lex', 'UNMAPPED_IMPORT'],
      never_settles: ['timeout', 'IMPORT_TIMEOUT'],
      bad_integrity: ['integrity', 'INTEGRITY_MISMATCH'],
      other_origin: ['origin', 'ORIGIN_NOT_ALLOWED'],
      missing_file: ['fetch', 'FETCH_FAILED'],
    });
    const byName = Object.fromEntries(report.errors.map((e) => [e.plugin, e]));
    expect(byName['throws_at_import']!.problem).toContain('fixture: this plugin fails at import');
    expect(byName['wrong_shape']!.problem).toBe('export "notAMetric": expected a function (predictions, references, options?) or an accumulator { init, update, merge, finalize }, received number');
    expect(byName['missing_export']!.hint).toBe('It exports: somethingElse. Name one of them after # in the manifest entry.');
    expect(byName['unmapped_import']!.problem).toContain('"left-pad-nowhere"');
    expect(byName['unmapped_import']!.field).toMatch(/^line \d+$/);
    expect(byName['unmapped_import']!.hint).toContain('"imports"');
    expect(byName['other_origin']!.hint).toContain('http://localhost:9');
    for (const error of report.errors) {
      expect(error.group).toBe('codex_ml.metrics');
      expect(error.url).toMatch(/^(file|http):/);
      expect(error.hint!.length).toBeGreaterThan(10);
      // The problem is the problem alone: url and hint stay in their own fields.
      expect(error.problem).not.toContain(error.url);
      expect(error.problem).not.toContain(error.hint!);
    }
    expect(host.report()).toHaveLength(report.errors.length);
  });

  it('keeps several contract problems of one plugin as separate records, each with its field', async () => {
    const host = await createHost({ manifests: [manifest('broken.json')], builtins: false, importTimeoutMs: 500 });
    const report = await host.loadGroup('codex_ml.metrics');
    const half = report.errors.filter((e) => e.plugin === 'half_accumulator');
    expect(half.map((e) => [e.stage, e.code, e.field])).toEqual([
      ['validate', 'INVALID_PLUGIN', 'merge'],
      ['validate', 'INVALID_PLUGIN', 'finalize'],
    ]);
    expect(half[0]!.problem).toContain('"merge": expected a function');
    await expect(host.load('codex_ml.metrics', 'half_accumulator')).rejects.toMatchObject({
      field: 'merge',
      problems: [expect.objectContaining({ field: 'merge' }), expect.objectContaining({ field: 'finalize' })],
    });
  });

  it('accepts a module whose integrity matches', async () => {
    const bytes = readFileSync(new URL('plugins/good.js', CDN));
    const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
    const host = await createHost({
      builtins: false,
      manifests: [{ url: manifest('inline.json'), json: { manifestVersion: 1, groups: { 'codex_ml.metrics': { ok: { url: './plugins/good.js', export: 'charCount', integrity } } } } }],
    });
    await expect(host.load('codex_ml.metrics', 'ok')).resolves.toBeTypeOf('function');
  });

  it('reports a manifest with a bad field at the manifest stage, with its JSON path, and still reads the others', async () => {
    const host = await createHost({ manifests: [manifest('bad-field.json'), manifest('good.json')], builtins: false });
    const errors = host.report();
    expect(errors.map((e) => [e.stage, e.plugin, e.url])).toEqual([
      ['manifest', 'bad_url', manifest('bad-field.json')],
      ['manifest', 'typo', manifest('bad-field.json')],
    ]);
    expect(errors[0]!.field).toBe('groups["codex_ml.metrics"].bad_url.url');
    expect(host.discover('codex_ml.metrics').length).toBe(1);
  });

  it('reports a manifest that cannot be read or is not JSON', async () => {
    const host = await createHost({ manifests: [manifest('nope.json'), manifest('plugins/good.js')], builtins: false });
    expect(host.report().map((e) => e.code)).toEqual(['MANIFEST_UNREADABLE', 'MANIFEST_NOT_JSON']);
  });

  it('names the declared entry points when asked for an unknown one', async () => {
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false });
    await expect(host.load('codex_ml.metrics', 'nope')).rejects.toMatchObject({
      code: 'UNKNOWN_ENTRY_POINT',
      hint: 'Declared in this group: char_count.',
    });
  });

  it('refuses a plugin without the required API version', async () => {
    const host = await createHost({
      builtins: false,
      manifests: [{ url: manifest('inline.json'), json: { manifestVersion: 1, groups: { 'my-plugins': { plain: './plugins/good.js#anything' } } } }],
    });
    const result = await host.loadFromEntryPoints('my-plugins', { requireApi: 'v1' });
    expect(result.count).toBe(0);
    expect(result.errors[0]).toMatchObject({ stage: 'validate', plugin: 'plain', field: 'api' });
    expect(host.registry('my-plugins').list()).toEqual([]);
    expect(await host.loadFromEntryPoints('my-plugins')).toEqual({ count: 1, errors: [] });
    expect(host.registry('my-plugins').list()).toEqual(['plain']);
  });

  it('layers the built-in manifest last and warns when a manifest shadows a built-in name', async () => {
    const onWarning = vi.fn();
    const host = await createHost({
      onWarning,
      manifests: [{ url: manifest('inline.json'), json: { manifestVersion: 1, groups: { 'codex_ml.metrics': { bleu: './plugins/good.js#charCount' } } } }],
    });
    expect(host.discover('codex_ml.metrics').find((e) => e.name === 'bleu')!.url).toBe(new URL('plugins/good.js', CDN).href);
    expect(host.discover('codex_ml.metrics').map((e) => e.name)).toContain('rouge');
    expect(onWarning).toHaveBeenCalledWith(expect.objectContaining({ code: 'SHADOWED_ENTRY_POINT', plugin: 'bleu' }));
  });

  it('keeps the first plugin and warns when an entry point loads under a name registered by hand (one clash rule)', async () => {
    const onWarning = vi.fn();
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false, onWarning });
    const byHand = () => 0;
    host.registry('codex_ml.metrics').register('char_count', byHand);
    await expect(host.load('codex_ml.metrics', 'char_count')).resolves.toBe(byHand);
    expect(host.registry('codex_ml.metrics').get('char_count')).toBe(byHand);
    expect(onWarning).toHaveBeenCalledWith(expect.objectContaining({ code: 'NAME_TAKEN', stage: 'register', plugin: 'char_count', url: new URL('plugins/good.js', CDN).href }));
    expect(host.report()).toEqual([]);
  });

  it('validates a loaded plugin once, in the loader, and registers it without a second check', async () => {
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false, ...quiet });
    const checks = vi.mocked(adapters.validatePlugin);
    checks.mockClear();
    await host.load('codex_ml.metrics', 'char_count');
    expect(checks).toHaveBeenCalledOnce();
  });

  it('says the runtime cannot import a URL scheme, not that the module threw, when the platform refuses the scheme', async () => {
    const environment = defaultEnvironment();
    const refusing = {
      ...environment,
      importModule: () =>
        Promise.reject(
          Object.assign(new Error("Only URLs with a scheme in: file, data, and node are supported by the default ESM loader. Received protocol 'http:'"), {
            code: 'ERR_UNSUPPORTED_ESM_URL_SCHEME',
          }),
        ),
    };
    const host = await createHost({ manifests: [manifest('good.json')], builtins: false, environment: refusing, ...quiet });
    const failure = await host.load('codex_ml.metrics', 'char_count').catch((thrown: unknown) => thrown);
    expect(failure).toMatchObject({ stage: 'import', code: 'IMPORT_FAILED' });
    expect((failure as { hint: string }).hint).toContain('cannot import URLs of that scheme');
    expect((failure as { hint: string }).hint).not.toContain('threw while it was evaluated');
  });
});

describe('createHost with hostile manifests', () => {
  it('reports a group named "__proto__" as INVALID_MANIFEST instead of dropping it from groups()', async () => {
    const json = JSON.parse('{"manifestVersion":1,"groups":{"__proto__":{"a":"./a.js"},"g":{"b":"./b.js"}}}');
    const host = await createHost({ manifests: [{ url: manifest('proto.json'), json }], builtins: false });
    expect(host.groups()).toEqual([]);
    expect(host.report().map((e) => [e.code, e.stage, e.url])).toEqual([['INVALID_MANIFEST', 'manifest', manifest('proto.json')]]);
    expect(host.report()[0]!.field).toContain('groups.__proto__');
  });

  it('reads a manifest whose integrity value is made to backtrack without freezing', { timeout: 3000 }, async () => {
    const json = { manifestVersion: 1, groups: { g: { a: { url: './a.js', integrity: 'sha256-A?'.repeat(28) + ' !' } } } };
    const host = await createHost({ manifests: [{ url: manifest('slow.json'), json }], builtins: false });
    expect(host.report().map((e) => e.code)).toEqual(['INVALID_MANIFEST']);
  });
});

describe('createHost loading from a server that never ends a response', () => {
  let server: Server;
  let cdn: string;
  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cdn = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const hostFor = () =>
    createHost({
      manifests: [{ url: `${cdn}/inline.json`, json: { manifestVersion: 1, groups: { 'codex_ml.metrics': { stuck: './never-ends.js#neverEnds', fine: './plugins/victim.js#victim' } } } }],
      builtins: false,
      cacheFolder: false,
      importTimeoutMs: 5000,
      ...quiet,
    });

  it('settles loadGroup, reporting the good plugin beside the one whose body never ends', { timeout: 15_000 }, async () => {
    const report = await (await hostFor()).loadGroup('codex_ml.metrics');
    expect(report.loaded).toEqual(['fine']);
    expect(report.errors.map((e) => [e.plugin, e.stage, e.code])).toEqual([['stuck', 'timeout', 'FETCH_TIMEOUT']]);
  });

  it('lets the caller abort host.load with an AbortSignal', { timeout: 15_000 }, async () => {
    const host = await hostFor();
    const controller = new AbortController();
    const loading = host.load('codex_ml.metrics', 'stuck', { signal: controller.signal });
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: 'LOAD_ABORTED', group: 'codex_ml.metrics', plugin: 'stuck' });
    await expect(host.load('codex_ml.metrics', 'fine', { signal: controller.signal })).rejects.toMatchObject({ code: 'LOAD_ABORTED' });
  });
});

describe('createHost and import-map targets', () => {
  it('refuses an import-map target outside allowedOrigins and does not map it, so a plugin importing it fails its preflight', async () => {
    const json = { manifestVersion: 1, imports: { 'shared-text': 'https://elsewhere.example/shared-text.js' }, groups: { 'codex_ml.metrics': { loud: './plugins/mapped.js#loud' } } };
    const host = await createHost({ manifests: [{ url: manifest('mapped-elsewhere.json'), json }], builtins: false, cacheFolder: false, ...quiet });
    expect(host.report().map((e) => ({ code: e.code, stage: e.stage, field: e.field, url: e.url }))).toEqual([
      { code: 'ORIGIN_NOT_ALLOWED', stage: 'manifest', field: 'imports["shared-text"]', url: 'https://elsewhere.example/shared-text.js' },
    ]);
    expect(host.report()[0]!.problem).toContain('origin https://elsewhere.example is not in allowedOrigins');
    await expect(host.load('codex_ml.metrics', 'loud')).rejects.toMatchObject({ code: 'UNMAPPED_IMPORT', stage: 'lex' });
  });

  it('maps an import-map target of an allowed origin', async () => {
    const host = await createHost({ manifests: [manifest('mapped.json')], builtins: false, cacheFolder: false, ...quiet });
    expect(host.report()).toEqual([]);
  });
});
