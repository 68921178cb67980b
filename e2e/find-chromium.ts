// Where the e2e tests find Chromium: CHROMIUM_PATH, then /usr/bin/chromium, then Playwright's own browsers.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Returns the path of a Chromium executable, or undefined when none is installed. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own installed.
  }
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

export const NO_CHROMIUM =
  'No Chromium found for the e2e tests: install one (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH to its executable.';
