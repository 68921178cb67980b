// Playwright global setup of the specs that need a real MLflow server: waits for the one named by
// PLUGBOARD_MLFLOW_URL (started by `node scripts/mlflow-server.js -- …`), or starts one allowing the app's
// origin, and hands its URL to the workers through the environment.
// @ts-expect-error — a plain ES module script without types
import { startMlflowServer, waitForLaunchedServer } from '../scripts/mlflow-server.js';
import { APP } from '../playwright.config.ts';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  // A run of chosen specs that leaves out the MLflow ones needs no server (and no 40-second start).
  const filters = process.argv.slice(process.argv.indexOf('test') + 1).filter((arg) => !arg.startsWith('-'));
  if (filters.length > 0 && !filters.some((filter) => /mlflow/i.test(filter))) return undefined;
  const given = process.env['PLUGBOARD_MLFLOW_URL'];
  if (given) {
    await waitForLaunchedServer({ state: process.env['PLUGBOARD_MLFLOW_STATE'] ?? '' });
    return undefined;
  }
  const server = await startMlflowServer({ origins: [APP] });
  process.env['PLUGBOARD_MLFLOW_URL'] = server.url;
  process.env['PLUGBOARD_MLFLOW_DB'] = server.db;
  process.env['PLUGBOARD_MLFLOW_STATE'] = server.state;
  return async () => server.stop(false);
}
