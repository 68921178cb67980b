import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { builtinPlugins } from './build/builtin-plugins.ts';

export default defineConfig({
  plugins: [builtinPlugins({ root: fileURLToPath(new URL('.', import.meta.url)) })],
  resolve: {
    alias: { 'plugboard/sdk': fileURLToPath(new URL('./src/sdk/index.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
