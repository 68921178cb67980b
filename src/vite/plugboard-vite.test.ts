import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plugboard } from './plugboard-vite.ts';

let root: string;
let distDir: string;
let appDir: string;

function writeJson(file: string, json: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(json));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plugboard-vite-'));
  distDir = join(root, 'dist');
  appDir = join(root, 'app');
  mkdirSync(distDir, { recursive: true });
  writeFileSync(join(distDir, 'bundled-packages-Ab_1.js'), 'var e=[];export{e as t};\n//# sourceMappingURL=bundled-packages-Ab_1.js.map');
  writeJson(join(appDir, 'package.json'), { dependencies: { metrics: '1' } });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function started(plugin = plugboard({ distDir, appDir })) {
  plugin.configResolved({ root: appDir, build: { assetsDir: 'assets' } });
  plugin.buildStart.call({ error: (message: string) => { throw new Error(message); } });
  return plugin;
}

describe('plugboard/vite and npm plugin packages', () => {
  it("fills the host's bundled-packages chunk with each discovered package's manifest, URL under assets/plugboard-packages", () => {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', version: '3.0.0', plugboard: { 'codex_ml.metrics': { m: './m.js#m' } } });
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'm.js'), '');
    const code = started().load(join(distDir, 'bundled-packages-Ab_1.js'))!;
    expect(code).toMatch(/^var e=\[\{ json: /);
    expect(code).toContain('"codex_ml.metrics":{"m":{"url":"./m.js","export":"m","version":"3.0.0"');
    expect(code).toContain('new URL(/* @vite-ignore */ "./plugboard-packages/metrics/plugboard-manifest.json", import.meta.url).href');
    expect(code).not.toContain('sourceMappingURL');
  });

  it('refuses a bundled-packages chunk it cannot fill rather than dropping the packages', () => {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', plugboard: { g: { m: './m.js' } } });
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'm.js'), '');
    writeFileSync(join(distDir, 'bundled-packages-Ab_1.js'), 'var e=[],f=[];export{e as t};');
    expect(() => started().load(join(distDir, 'bundled-packages-Ab_1.js'))).toThrow(/metrics cannot be shipped/);
  });

  it('leaves every other module alone', () => {
    expect(started().load(join(distDir, 'index.js'))).toBeUndefined();
    expect(started().load(join(root, 'elsewhere', 'bundled-packages.js'))).toBeUndefined();
  });

  it('fails the build on a bad plugboard field, naming the package, the field and what to do', () => {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', plugboard: { 'codex_ml.metrics': { m: './missing.js#m' } } });
    expect(() => started()).toThrow(/package metrics: "\.\/missing\.js" does not exist[\s\S]*plugboard\["codex_ml\.metrics"\]\["m"\][\s\S]*Build the package/);
  });
});
