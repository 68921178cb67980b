import { defineConfig } from '@playwright/test';
import { NO_CHROMIUM, findChromium } from './e2e/find-chromium.ts';

const executablePath = findChromium();
if (!executablePath) {
  console.error(NO_CHROMIUM);
  process.exit(1);
}

export const APP = 'http://localhost:5173';
export const CDN = 'http://127.0.0.1:4174';

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
  webServer: [
    { command: 'node scripts/start.js', url: APP, reuseExistingServer: !process.env['CI'], timeout: 60_000, env: { PORT: '5173' } },
    { command: 'node e2e/cdn-server.js 4174', url: `${CDN}/good.json`, reuseExistingServer: !process.env['CI'], timeout: 20_000 },
  ],
});
