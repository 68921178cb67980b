import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { discoverPackages, packageManifest } from './index.ts';

let app: string;
const EXAMPLE = new URL('../../examples/plugboard-plugin-length-ratio', import.meta.url).pathname;

function writeJson(file: string, json: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(json));
}

/** Installs a package into the app's node_modules: its package.json and the files given. */
function install(name: string, packageJson: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = join(app, 'node_modules', name);
  writeJson(join(dir, 'package.json'), { name, version: '1.2.3', ...packageJson });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

beforeEach(() => {
  app = mkdtempSync(join(tmpdir(), 'plugboard-packages-'));
});
afterEach(() => rmSync(app, { recursive: true, force: true }));

describe('discoverPackages', () => {
  it('finds the dependencies whose package.json has a plugboard field, scoped ones included, and skips the rest', () => {
    writeJson(join(app, 'package.json'), { dependencies: { alpha: '1', '@team/beta': '1', plain: '1', missing: '1' }, devDependencies: { gamma: '1' } });
    install('alpha', { plugboard: { 'codex_ml.metrics': { a: './dist/a.js#a', b: './b.mjs' } } }, { 'dist/a.js': '', 'b.mjs': '' });
    install('@team/beta', { plugboard: { 'codex_ml.tokenizers': { t: './t.js#tok' } } }, { 't.js': '' });
    install('gamma', { plugboard: { 'codex_ml.metrics': { g: './g.js#g' } } }, { 'g.js': '' });
    install('plain', {});
    const { packages, errors } = discoverPackages(app);
    expect(errors).toEqual([]);
    expect(packages.map((plugin) => plugin.name)).toEqual(['@team/beta', 'alpha', 'gamma']);
    expect(packages[1]).toMatchObject({
      version: '1.2.3',
      entryPoints: [
        { group: 'codex_ml.metrics', name: 'a', path: 'dist/a.js', export: 'a' },
        { group: 'codex_ml.metrics', name: 'b', path: 'b.mjs', export: 'default' },
      ],
    });
  });

  it('resolves a dependency as Node does: from a node_modules folder above the app', () => {
    const nested = join(app, 'apps', 'web');
    writeJson(join(nested, 'package.json'), { dependencies: { alpha: '1' } });
    install('alpha', { plugboard: { g: { a: './a.js#a' } } }, { 'a.js': '' });
    expect(discoverPackages(nested).packages.map((plugin) => plugin.name)).toEqual(['alpha']);
  });

  it('follows a symbolic link (a file: dependency) to the package folder', () => {
    writeJson(join(app, 'package.json'), { dependencies: { 'plugboard-plugin-length-ratio': 'file:../example' } });
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    symlinkSync(EXAMPLE, join(app, 'node_modules', 'plugboard-plugin-length-ratio'));
    const [plugin] = discoverPackages(app).packages;
    expect(plugin).toMatchObject({ name: 'plugboard-plugin-length-ratio', dir: EXAMPLE.replace(/\/$/, '') });
  });

  it('names the package, the field path and what to do for each bad declaration, and keeps the good ones', () => {
    writeJson(join(app, 'package.json'), { dependencies: { bad: '1', shape: '1' } });
    install('bad', {
      plugboard: {
        g: {
          ok: './ok.js#ok',
          gone: './dist/gone.js#x',
          outside: '../escape.js#x',
          bare: 'lib/x.js',
          source: './src/x.ts#x',
          object: { url: './ok.js' },
        },
        'bad group!': {},
        list: ['./ok.js'],
      },
    }, { 'ok.js': '' });
    install('shape', { plugboard: ['./x.js'] });
    const { packages, errors } = discoverPackages(app);
    expect(packages.map((plugin) => plugin.entryPoints.map((entry) => entry.name))).toEqual([['ok']]);
    const byField = Object.fromEntries(errors.map((error) => [error.field, error]));
    expect(Object.keys(byField).sort()).toEqual(
      ['plugboard', 'plugboard["bad group!"]', 'plugboard["g"]["bare"]', 'plugboard["g"]["gone"]', 'plugboard["g"]["object"]', 'plugboard["g"]["outside"]', 'plugboard["g"]["source"]', 'plugboard["list"]'].sort(),
    );
    expect(byField['plugboard["g"]["gone"]']).toMatchObject({ code: 'BAD_PACKAGE_PLUGIN', group: 'g', plugin: 'gone' });
    expect(byField['plugboard["g"]["gone"]']!.problem).toMatch(/^package bad: "\.\/dist\/gone\.js" does not exist/);
    expect(byField['plugboard["g"]["gone"]']!.hint).toMatch(/Build the package/);
    expect(byField['plugboard["g"]["outside"]']!.hint).toMatch(/starts with "\.\/"/);
    expect(byField['plugboard["g"]["source"]']!.problem).toMatch(/not a JavaScript module/);
    expect(byField['plugboard']!.problem).toBe('package shape: the "plugboard" field is an array, not an object of groups');
    expect(byField['plugboard']!.hint).toMatch(/codex_ml\.metrics/);
  });

  it('reports an app package.json that is not JSON, and finds nothing without one', () => {
    expect(discoverPackages(app)).toEqual({ packages: [], errors: [] });
    writeFileSync(join(app, 'package.json'), '{ nope');
    expect(discoverPackages(app).errors.map((error) => error.code)).toEqual(['BAD_PACKAGE_JSON']);
  });
});

describe('package manifests', () => {
  it('becomes a manifest named after the package with the package version on each entry', () => {
    expect(packageManifest({ name: 'p', version: '2.0.0', dir: '/x', entryPoints: [{ group: 'g', name: 'n', path: 'dist/m.js', export: 'm' }] }, './p/')).toEqual({
      manifestVersion: 1,
      name: 'p',
      groups: { g: { n: { url: './p/dist/m.js', export: 'm', version: '2.0.0', description: 'from the npm package p' } } },
    });
  });
});

describe('plugboard list', () => {
  async function list(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['list', ...argv], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: app, hostOptions: { environment: sourceEnvironment() } });
    return { code, stdout, stderr };
  }

  it('shows the entry points of installed packages with the package that declares each', async () => {
    writeJson(join(app, 'package.json'), { dependencies: { 'plugboard-plugin-length-ratio': '1' } });
    cpSync(EXAMPLE, join(app, 'node_modules', 'plugboard-plugin-length-ratio'), { recursive: true });
    const { code, stdout, stderr } = await list('--json', '--group', 'codex_ml.metrics');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { name: string; manifest: string; version: string }[];
    expect(listed.find((entry) => entry.name === 'length_ratio')).toMatchObject({ manifest: 'plugboard-plugin-length-ratio', version: '1.0.0' });
    expect(listed.find((entry) => entry.name === 'bleu')).toMatchObject({ manifest: 'builtin' });
  });

  it('reports a bad plugboard field on stderr with exit code 1 and still lists the rest', async () => {
    writeJson(join(app, 'package.json'), { dependencies: { broken: '1' } });
    install('broken', { plugboard: { 'codex_ml.metrics': { gone: './gone.js#x' } } });
    const { code, stdout, stderr } = await list();
    expect(code).toBe(1);
    expect(stdout).toMatch(/bleu/);
    expect(stderr).toMatch(/^plugboard: package: .*package broken: "\.\/gone\.js" does not exist/);
    expect(stderr).toMatch(/plugboard\["codex_ml\.metrics"\]\["gone"\]/);
  });
});
