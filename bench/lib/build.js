// Makes sure dist/ holds a build of the current sources before anything is measured against it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['src', 'build', 'vite.config.ts', 'plugins-manifest.json', 'package.json', 'tsconfig.build.json'];
const OUTPUTS = ['dist/index.js', 'dist/sdk.js', 'dist/standalone.js'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Runs `npm run build` when an output is missing or older than a source (tests excluded). When the build
 * fails but an older dist/ exists, warns and keeps measuring that one (the table then says which commit
 * the dist came from is not known); when it fails and nothing exists, throws.
 */
export function ensureBuild(root, { log = console.log } = {}) {
  const oldestOutput = Math.min(...OUTPUTS.map((file) => (existsSync(join(root, file)) ? statSync(join(root, file)).mtimeMs : 0)));
  const newestInput = Math.max(...INPUTS.map((file) => newestMtime(join(root, file))));
  if (oldestOutput > newestInput) {
    log('dist/ is up to date with the sources');
    return { built: false, stale: false };
  }
  log(oldestOutput === 0 ? 'dist/ is missing parts: npm run build' : 'dist/ is older than the sources: npm run build');
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status === 0) {
    log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { built: true, stale: false };
  }
  const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
  if (OUTPUTS.slice(0, 2).every((file) => existsSync(join(root, file)))) {
    console.warn(`npm run build failed; measuring the existing dist/ instead:\n${tail}`);
    return { built: false, stale: true };
  }
  throw new Error(`npm run build failed and there is no dist/ to measure:\n${tail}`);
}
