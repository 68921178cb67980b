// Runs the host from the dev server's sources inside the page, as the host specs do.
import type { Page } from '@playwright/test';
import { CDN } from '../playwright.config.ts';

/**
 * Opens the app page, runs `createHost` there with the given options and returns what `body` computes. The body
 * is an async function body that sees `host` and `cdn` (the second origin's base URL).
 */
export async function inPage<T>(page: Page, body: string, options: Record<string, unknown>): Promise<T> {
  await page.goto('/');
  return page.evaluate(
    async ({ body, options, cdn }) => {
      const entry = '/src/index.ts';
      const { createHost } = await import(/* @vite-ignore */ entry);
      const host = await createHost({ ...options, onWarning: () => {} });
      return new Function('host', 'cdn', `return (async () => { ${body} })();`)(host, cdn);
    },
    { body, options, cdn: CDN },
  ) as Promise<T>;
}
