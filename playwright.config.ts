import { createServer } from 'node:net';
import { defineConfig } from '@playwright/test';
import { NO_CHROMIUM, findChromium } from './e2e/find-chromium.ts';

const executablePath = findChromium();
if (!executablePath) {
  console.error(NO_CHROMIUM);
  process.exit(1);
}

/** A port nobody listens on now, so the tests never run against a server left over from something else. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Playwright reads this file in its runner and again in each worker: the runner picks the ports, and the
// workers inherit them through the environment.
process.env['PB_APP_PORT'] ??= String(await freePort());
process.env['PB_CDN_PORT'] ??= String(await freePort());
export const APP = `http://localhost:${process.env['PB_APP_PORT']}`;
export const CDN = `http://127.0.0.1:${process.env['PB_CDN_PORT']}`;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    baseURL: APP,
    launchOptions: {
      executablePath,
      // Background networking reaches for hosts this machine cannot reach; keep the browser quiet and local.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  // A real MLflow server for the specs that log to one (e2e/mlflow-server.spec.ts).
  globalSetup: './e2e/mlflow-global-setup.ts',
  webServer: [
    { command: 'node scripts/start.js', url: APP, reuseExistingServer: false, timeout: 60_000, env: { PORT: process.env['PB_APP_PORT']! } },
    { command: `node e2e/cdn-server.js ${process.env['PB_CDN_PORT']}`, url: `${CDN}/good.json`, reuseExistingServer: false, timeout: 20_000 },
  ],
});
