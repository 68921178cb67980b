import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import { builtinInputs, builtinPlugins } from './build/builtin-plugins.ts';
import { onnxRuntimeFiles } from './build/onnxruntime-files.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));
const sdkSource = src('sdk/index.ts');

/** Entries of the library build that exist in this tree. */
function libraryEntries(): Record<string, string> {
  const entries: Record<string, string> = { index: src('index.ts'), sdk: sdkSource, worker: src('workers/index.ts'), elements: src('ui/index.ts') };
  if (existsSync(src('testing/index.ts'))) entries['testing'] = src('testing/index.ts');
  if (existsSync(src('cli/main.ts'))) entries['cli'] = src('cli/main.ts');
  entries['vite'] = src('vite/index.ts');
  // A chunk of its own, so an app's build can replace it (see src/host/bundled-packages.ts).
  entries['bundled-packages'] = src('host/bundled-packages.ts');
  return entries;
}

// Three builds share this file:
//   vite build                    → dist/: the library (index, sdk, testing, cli) and each built-in plugin as its own module
//   vite build --mode standalone  → dist/standalone.js: the host in ONE file, for import() from a CDN without a bundler
//   vite build --mode app         → dist-app/: the web app
// Built-in plugins import the SDK by its bare name, which stays external: the host's import map (or, in
// Node, the package's own exports) points it at the host's SDK, so plugins and host share one instance.
export default defineConfig(({ mode, command }): UserConfig => {
  const shared: UserConfig = {
    plugins: [builtinPlugins({ root }), onnxRuntimeFiles({ root })],
    // Relative URLs in what is built: the Worker scripts (plugboard/worker's `new Worker(new URL(…))`) resolve
    // against the module that starts them, not the server root, so the app works served under a sub-path
    // (https://host/tools/plugboard/) and an app that bundles dist/ finds them where plugboard/vite put them.
    base: './',
    resolve: { alias: { 'plugboard/sdk': sdkSource } },
    // Scan every browser module up front so the dev server never re-optimises (and reloads the page) mid-session.
    optimizeDeps: { entries: ['index.html', 'src/**/*.ts', '!src/**/*.test.ts', '!src/cli/**'] },
    server: { port: Number(process.env['PORT'] ?? 5173), strictPort: true, host: 'localhost' },
    preview: { port: Number(process.env['PORT'] ?? 4173), strictPort: true, host: 'localhost' },
    // No module preload: its helper needs `document` (absent in Workers and Node) and absolute paths (wrong on a CDN).
    build: { target: 'es2022', sourcemap: true, minify: true, modulePreload: false },
    // public/ holds what the page serves as is (sample data): the dev server serves it and the app build copies
    // it; the library and standalone builds leave it out of the package.
    publicDir: 'public',
    // The evaluation Worker is a module Worker: it imports plugins, and shares chunks with the host.
    worker: { format: 'es' },
  };
  const externalSdk = (id: string) => id === 'plugboard/sdk' || id.startsWith('node:');
  const output = {
    format: 'es' as const,
    entryFileNames: '[name].js',
    // Host chunks sit at the output root, beside plugins-manifest.json (see build/builtin-plugins.ts).
    chunkFileNames: '[name]-[hash].js',
  };

  if (mode === 'standalone') {
    return {
      ...shared,
      plugins: [builtinPlugins({ root, sdkLayout: 'inline' })],
      build: {
        ...shared.build,
        emptyOutDir: false,
        copyPublicDir: false,
        lib: { entry: src('standalone.ts'), formats: ['es'], fileName: () => 'standalone.js' },
        rollupOptions: { external: (id) => id.startsWith('node:'), output: { codeSplitting: false } as never },
      },
    };
  }
  if (mode === 'app') {
    return {
      ...shared,
      build: {
        ...shared.build,
        outDir: 'dist-app',
        rollupOptions: {
          input: { app: fileURLToPath(new URL('./index.html', import.meta.url)), sdk: sdkSource, ...builtinInputs(root) },
          // The app's built-in plugins import the SDK chunk by relative path, resolved here at build time, so they
          // need no import map: a page whose policy refuses inline scripts (the host's import map is one) still
          // runs every one of them. It is the same module instance the host and sdk.js use; third-party plugins
          // still reach it by the bare name through the host's import map, where the page allows one.
          external: (id) => id.startsWith('node:'),
          preserveEntrySignatures: 'strict',
          output,
        },
      },
    };
  }
  if (command === 'serve') return shared;
  return {
    ...shared,
    plugins: [
      ...(shared.plugins ?? []),
      {
        // The `plugboard` bin is dist/cli.js; a fresh build must stay runnable as a command.
        name: 'plugboard:executable-cli',
        writeBundle(options, bundle) {
          if ('cli.js' in bundle) chmodSync(`${options.dir}/cli.js`, 0o755);
        },
      },
    ],
    build: {
      ...shared.build,
      outDir: 'dist',
      copyPublicDir: false,
      rollupOptions: {
        input: { ...libraryEntries(), ...builtinInputs(root) },
        external: externalSdk,
        preserveEntrySignatures: 'strict',
        output,
      },
    },
  };
});
