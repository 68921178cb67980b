// Case 5 — size: gzip bytes of the core (what `import { createHost } from 'plugboard'` pulls into an app bundle)
// and of the standalone file.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';
import { absoluteEntry, notMeasured } from '../lib/results.js';

const KB = 1024;
const gzipBytes = (buffer) => gzipSync(buffer, { level: 9 }).length;

/** The file and every chunk it imports statically (relative specifiers), each once: what loads before it runs. */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const [imports] = parse(readFileSync(file, 'utf8'));
  for (const entry of imports) {
    if (entry.type === 'static' && entry.specifier?.startsWith('.')) staticClosure(join(file, '..', entry.specifier), seen);
  }
  return seen;
}

/** Bundles `import { createHost } from dist/index.js` with the build tool the project uses, minified, tree-shaken. */
async function bundleCreateHost(root, work) {
  const { build } = await import('vite');
  const folder = join(work, 'size');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const entry = join(folder, 'app.js');
  writeFileSync(entry, `import { createHost } from ${JSON.stringify(join(root, 'dist/index.js'))};\nexport const host = await createHost();\n`);
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root: folder,
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => 'app.js' },
      rollupOptions: { external: (id) => id.startsWith('node:') },
    },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output);
  const code = chunks.filter((chunk) => chunk.type === 'chunk');
  const gzipOf = (list) => list.reduce((sum, chunk) => sum + gzipBytes(Buffer.from(chunk.code)), 0);
  // The chunks an app loads before createHost runs, and those it loads only when a part is first used.
  const lazy = code.filter((chunk) => chunk.isDynamicEntry && !chunk.isEntry);
  return {
    gzip: gzipOf(code),
    raw: code.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.code), 0),
    files: code.length,
    eagerGzip: gzipOf(code.filter((chunk) => !lazy.includes(chunk))),
    lazyGzip: Object.fromEntries(lazy.map((chunk) => [chunk.name, gzipBytes(Buffer.from(chunk.code))])),
  };
}

/** Measures the sizes; sizes do not vary between repetitions, so each is measured once. */
export async function runSize({ root, work, log }) {
  await init;
  const entries = [];
  try {
    const core = await bundleCreateHost(root, work);
    const shipped = [...staticClosure(join(root, 'dist/index.js'))];
    const shippedGzip = shipped.reduce((sum, file) => sum + gzipBytes(readFileSync(file)), 0);
    entries.push(
      absoluteEntry({
        caseName: 'size: core (createHost + loader, bundled into an app, gzip -9)',
        n: null,
        plugboard: { times: [core.gzip] },
        maxMs: 40 * KB + 1,
        unit: 'bytes',
        targetText: '≤ 40 KB',
        extra: { rawBytes: core.raw, eagerGzip: core.eagerGzip, lazyChunksGzip: core.lazyGzip, distIndexWithStaticImportsGzip: shippedGzip, distIndexFiles: shipped.map((file) => file.slice(root.length)) },
      }),
    );
    log(`  core: ${(core.gzip / KB).toFixed(1)} KB gzip (${(core.raw / KB).toFixed(1)} KB minified); dist/index.js with its static imports: ${(shippedGzip / KB).toFixed(1)} KB gzip`);
    log(`  of which loaded before createHost runs: ${(core.eagerGzip / KB).toFixed(1)} KB; only when first used: ${Object.entries(core.lazyGzip).map(([name, bytes]) => `${name} ${(bytes / KB).toFixed(1)} KB`).join(', ') || 'nothing'}`);
  } catch (error) {
    entries.push(notMeasured({ caseName: 'size: core', target: '≤ 40 KB', reason: `bundling createHost failed: ${String(error.message).split('\n')[0]}` }));
  }
  const standalone = join(root, 'dist/standalone.js');
  if (existsSync(standalone)) {
    const bytes = readFileSync(standalone);
    entries.push(
      absoluteEntry({
        caseName: 'size: standalone file (dist/standalone.js, gzip -9)',
        n: null,
        plugboard: { times: [gzipBytes(bytes)] },
        maxMs: 120 * KB + 1,
        unit: 'bytes',
        targetText: '≤ 120 KB',
        extra: { rawBytes: bytes.length },
      }),
    );
    log(`  standalone: ${(gzipBytes(bytes) / KB).toFixed(1)} KB gzip (${(bytes.length / KB).toFixed(1)} KB)`);
  } else {
    entries.push(notMeasured({ caseName: 'size: standalone file', target: '≤ 120 KB', reason: 'dist/standalone.js is missing (npm run build did not produce it)' }));
  }
  return entries;
}
