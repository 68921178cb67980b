import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { builtinPlugins } from './build/builtin-plugins.ts';

/** Tests that talk to a real MLflow server: one server per run, shared, so these files run one at a time. */
const MLFLOW_TESTS = ['src/**/*.mlflow.test.ts'];

export default defineConfig({
  plugins: [builtinPlugins({ root: fileURLToPath(new URL('.', import.meta.url)) })],
  resolve: {
    alias: { 'plugboard/sdk': fileURLToPath(new URL('./src/sdk/index.ts', import.meta.url)) },
  },
  test: {
    environment: 'node',
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'examples/**/*.test.ts'], exclude: MLFLOW_TESTS } },
      {
        extends: true,
        test: { name: 'mlflow', include: MLFLOW_TESTS, globalSetup: ['./scripts/mlflow-global-setup.ts'], testTimeout: 60_000, hookTimeout: 240_000, fileParallelism: false },
      },
    ],
  },
});
