// Typed doors to the test MLflow server started by scripts/mlflow-global-setup.ts (in Vitest) or by
// scripts/mlflow-server.js (around a whole test command).
import { inject } from 'vitest';
// @ts-expect-error — a plain ES module script without types
import { resetMlflowServer, runMlflowPython } from '../../scripts/mlflow-server.js';

/** Where the test server is, and the files its database is reset from. */
export interface TestMlflowServer {
  url: string;
  db: string;
  state: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mlflow: TestMlflowServer;
  }
}

/** The MLflow server of this test run. */
export const testMlflowServer = (): TestMlflowServer => inject('mlflow');

/** Puts the server's database back to its first state: only the default experiment, empty. */
export const resetTestMlflowServer = (server: TestMlflowServer): void => resetMlflowServer(server);

/** Runs a Python script with MLflow's client pointed at the server; resolves with what it printed. */
export const runPython = (server: TestMlflowServer, script: string, args: string[] = []): Promise<string> => runMlflowPython(server.url, script, args);
