// Vitest global setup of the tests that need a real MLflow server: reuses the one named by
// PLUGBOARD_MLFLOW_URL (started by `node scripts/mlflow-server.js -- …`), or starts one for this run.
import type { TestProject } from 'vitest/node';
// @ts-expect-error — a plain ES module script without types
import { startMlflowServer, waitForLaunchedServer } from './mlflow-server.js';
import type {} from '../src/mlflow-server/test-server.test-helpers.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['PLUGBOARD_MLFLOW_URL'];
  if (given) {
    const server = { url: given, db: process.env['PLUGBOARD_MLFLOW_DB'] ?? '', state: process.env['PLUGBOARD_MLFLOW_STATE'] ?? '' };
    await waitForLaunchedServer(server);
    project.provide('mlflow', server);
    return async () => {};
  }
  const server = await startMlflowServer();
  project.provide('mlflow', { url: server.url, db: server.db, state: server.state });
  // The log is kept when a test failed, to read what the server said.
  return async () => server.stop(project.vitest.state.getCountOfFailedTests() > 0);
}
