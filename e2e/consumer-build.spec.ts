// An app that embeds Plugboard from its packed tarball and is built with `vite build` computes BLEU with the
// built-in plugin (in the page and in a module Worker, served under a sub-path), and length_ratio from the npm plugin package it depends on, when served by a plain static server; a bundler-free page on another origin does the same
// by importing the standalone file from the CDN; and the same app under Vite's dev server sees the npm plugin package too.
import { expect, test } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { CDN } from '../playwright.config.ts';

const ROOT = process.cwd();
const WORK = join(ROOT, '.consumer-build');
const ROWS = [
  { prediction: 'the cat sat on the mat', reference: 'the cat sat on the mat' },
  { prediction: 'a dog ran in the park', reference: 'the dog ran through the park' },
];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };

/** A plain static file server of `root` at `base`: no rewrites, no module handling, the MIME type from the extension; 404 outside `base`. */
function serve(root: string, base = '/'): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url!, 'http://x').pathname);
    if (!pathname.startsWith(base)) {
      response.writeHead(404).end('not found');
      return;
    }
    const path = normalize(`/${pathname.slice(base.length)}`).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

function cliBleu(): number {
  mkdirSync(WORK, { recursive: true });
  const data = join(WORK, 'rows.jsonl');
  writeFileSync(data, ROWS.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return JSON.parse(execFileSync('node', ['dist/cli.js', 'eval', '--metric', 'bleu', '--data', data], { encoding: 'utf8' })).result.score;
}

/**
 * The tarball to install. `npm test` builds through `npm run pack:e2e` (scripts/pack-for-e2e.js): a real `npm pack`
 * whose prepack builds dist/ from nothing, checked there to have built every file package.json names. That
 * tarball is used while dist/ is the one it built; a real `npm pack` here instead would run the whole build a
 * second time (about as long as the suite's own build), and would rebuild dist/ under the other specs that serve
 * it. When dist/ was built otherwise (`npm run build` before running this spec alone), it is packed as it is.
 */
function tarballPath(): string {
  const marker = join(ROOT, '.pack', 'packed.json');
  if (existsSync(marker)) {
    const packed = JSON.parse(readFileSync(marker, 'utf8')) as { tarball: string; distBuiltAt: number };
    if (existsSync(packed.tarball) && statSync(join(ROOT, 'dist', 'index.js')).mtimeMs === packed.distBuiltAt) return packed.tarball;
  }
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', WORK], { cwd: ROOT, stdio: 'ignore' });
  return join(WORK, readdirSync(WORK).find((name) => name.endsWith('.tgz'))!);
}

let prepared = false;
/** Installs the packed package and the example npm plugin package into a copy of the consumer app, once per run of this file. */
function prepareConsumer(): void {
  if (prepared) return;
  const package_ = JSON.parse(readFileSync('package.json', 'utf8'));
  expect(package_.scripts.prepack).toBe('npm run build');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'node_modules', 'plugboard'), { recursive: true });
  const tarball = tarballPath();
  execFileSync('tar', ['-xzf', tarball, '-C', join(WORK, 'node_modules', 'plugboard'), '--strip-components=1']);
  cpSync(join(ROOT, 'e2e', 'fixtures', 'consumer'), WORK, { recursive: true });
  // The example npm plugin package, installed as npm installs a packed package: a copy in node_modules.
  cpSync(join(ROOT, 'examples', 'plugboard-plugin-length-ratio'), join(WORK, 'node_modules', 'plugboard-plugin-length-ratio'), {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts'),
  });
  prepared = true;
}

test('an app built with vite build from the packed tarball and served under a sub-path computes BLEU with the built-in plugin, in a module Worker too, and length_ratio with an installed npm plugin package under a plain static server', async ({ page }) => {
  test.setTimeout(180_000);
  prepareConsumer();
  // The app's own dependencies (vite, lit, …) resolve from the repository's node_modules above it.
  // Built for where it is served, https://…/sub/, as an app deployed under a path is.
  execFileSync('node', [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--base', '/sub/'], { cwd: WORK, stdio: 'pipe' });
  expect(existsSync(join(WORK, 'dist', 'assets', 'plugins', 'metrics', 'bleu.js'))).toBe(true);
  expect(existsSync(join(WORK, 'dist', 'assets', 'plugboard-packages', 'plugboard-plugin-length-ratio', 'length-ratio.js'))).toBe(true);

  const expected = cliBleu();
  const { server, url: origin } = await serve(join(WORK, 'dist'), '/sub/');
  const url = `${origin}/sub`;
  try {
    await page.goto(`${url}/`);
    await expect(page.locator('#bleu')).not.toHaveText('scoring…', { timeout: 30_000 });
    expect(Number(await page.locator('#bleu').textContent())).toBeCloseTo(expected, 9);
    expect(await page.locator('#bleu').getAttribute('data-sha384')).toMatch(/^sha384-/);
    // The npm plugin package's metric: 3 prediction tokens over 4 reference tokens, from the package's own manifest.
    await expect(page.locator('#length-ratio')).toHaveText('0.75', { timeout: 30_000 });
    expect(await page.locator('#length-ratio').getAttribute('data-manifest')).toBe(`${url}/assets/plugboard-packages/plugboard-plugin-length-ratio/plugboard-manifest.json`);
    // plugboard/worker starts its Worker from the app's assets under the sub-path, not the server root.
    await expect(page.locator('#workers')).not.toHaveText('scoring…', { timeout: 30_000 });
    expect(await page.locator('#workers').getAttribute('data-workers'), (await page.locator('#workers').textContent())!).toBe('1');
    expect(Number(await page.locator('#workers').textContent())).toBeCloseTo(expected, 9);
    // The exported elements work in the built app too.
    await expect(page.getByRole('tab', { name: 'Evaluate' })).toBeVisible();
  } finally {
    server.close();
  }
});

test('a bundler-free page on another origin imports the standalone file from the CDN and evaluates with the built-in plugin', async ({ page }) => {
  const expected = cliBleu();
  await page.goto('/package.json');
  const score = await page.evaluate(
    async ({ cdn, rows }) => {
      const plugboard = await import(/* @vite-ignore */ `${cdn}/dist/standalone.js`);
      const host = await plugboard.createHost({ onWarning: () => {} });
      const result = await host.evaluate({ source: rows, metrics: ['bleu'] });
      return result.scores.bleu.score as number;
    },
    { cdn: CDN, rows: ROWS },
  );
  expect(score).toBeCloseTo(expected, 9);
});

test('the same app under vite (the dev server) finds the npm plugin package and computes length_ratio from its files', async ({ page }) => {
  test.setTimeout(180_000);
  prepareConsumer();
  const expected = cliBleu();
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const vite = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--force'], { cwd: WORK });
  let output = '';
  vite.stdout.on('data', (chunk) => (output += chunk));
  vite.stderr.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  try {
    await expect.poll(async () => (await fetch(`${url}/`).catch(() => undefined))?.status, { timeout: 60_000, message: output }).toBe(200);
    await page.goto(`${url}/`);
    await expect(page.locator('#length-ratio')).toHaveText('0.75', { timeout: 60_000 });
    expect(await page.locator('#length-ratio').getAttribute('data-manifest')).toBe(`${url}/@plugboard-packages/plugboard-plugin-length-ratio/plugboard-manifest.json`);
    await expect(page.locator('#bleu')).not.toHaveText('scoring…', { timeout: 30_000 });
    expect(Number(await page.locator('#bleu').textContent())).toBeCloseTo(expected, 9);
    const module = await fetch(`${url}/@plugboard-packages/plugboard-plugin-length-ratio/length-ratio.js`);
    expect(module.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  } finally {
    vite.kill();
  }
});
