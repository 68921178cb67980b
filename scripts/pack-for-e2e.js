// `npm run pack:e2e`: packs the package as a release does — `npm pack` with its scripts, so `prepack` builds
// dist/ (and dist-app/) — from a clean state into .pack/, and fails unless that build made every file the
// package's bin and exports name and the tarball holds them. `npm test` runs this as its build step, so the
// suite builds once and the consumer e2e installs this very tarball (a second, real `npm pack` inside the
// e2e would build everything a second time). It leaves .pack/packed.json naming the tarball and when dist/
// was built, so the e2e can tell whether dist/ changed since.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.pack');

/** Prints what went wrong and what to do, and ends the process with exit code 1. */
function fail(problem, hint) {
  process.stderr.write(`pack:e2e: ${problem}\n  hint: ${hint}\n`);
  process.exit(1);
}

/** Every file the package's bin and exports name, as paths inside the package. */
export function namedFiles(manifest) {
  const files = new Set(Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {})));
  const visit = (target) => {
    if (typeof target === 'string') files.add(target);
    else if (target && typeof target === 'object') for (const value of Object.values(target)) visit(value);
  };
  visit(manifest.exports);
  return [...files].map((file) => file.replace(/^\.\//, '')).sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // From nothing: whatever the tarball holds under dist/ is what prepack's build made.
  for (const folder of ['dist', 'dist-app', '.pack']) rmSync(join(root, folder), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  execFileSync('npm', ['pack', '--pack-destination', out], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const tarball = readdirSync(out).find((name) => name.endsWith('.tgz'));
  if (!tarball) fail('npm pack wrote no tarball into .pack/', 'Run `npm pack --pack-destination .pack` and read its output.');
  const listed = new Set(execFileSync('tar', ['-tzf', join(out, tarball)], { encoding: 'utf8' }).split('\n').map((line) => line.replace(/^package\//, '')));
  const named = namedFiles(manifest);
  const built = named.filter((file) => file.startsWith('dist/'));
  for (const file of built) {
    if (!existsSync(join(root, file))) fail(`${file}, which package.json names, was not built by npm pack`, 'The "prepack" script must build the package (npm run build).');
    if (statSync(join(root, file)).mtimeMs < started) fail(`${file} is older than this pack: prepack did not build it`, 'The "prepack" script must build the package (npm run build).');
  }
  for (const file of named) if (!listed.has(file)) fail(`the tarball ${tarball} lacks ${file}, which package.json names`, 'Check package.json "files".');
  if (!existsSync(join(root, 'dist-app', 'index.html'))) fail('npm pack did not build the app (dist-app/), which the e2e serves', 'The "build" script must keep its `vite build --mode app` step.');
  writeFileSync(join(out, 'packed.json'), JSON.stringify({ tarball: join(out, tarball), started, distBuiltAt: statSync(join(root, 'dist', 'index.js')).mtimeMs }, null, 2));
  process.stdout.write(`pack:e2e: ${tarball}, built by prepack: ${built.length} files named by package.json, all fresh\n`);
}
