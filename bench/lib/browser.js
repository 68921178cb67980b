// Launches the Chromium the e2e tests use (CHROMIUM_PATH, /usr/bin/chromium, then Playwright's own), quiet and local.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Returns the path of a Chromium executable, or undefined when none is installed. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own installed.
  }
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

function executable() {
  const path = findChromium();
  if (!path) throw new Error('No Chromium found: install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.');
  return path;
}

/** Launches a headless Chromium; every `newContext()` of it starts with an empty HTTP cache and in-memory storage. */
export function launchBrowser() {
  return chromium.launch({ executablePath: executable(), args: CHROMIUM_ARGS, headless: true });
}

/**
 * Launches Chromium with a profile folder on disk (emptied first), so IndexedDB writes go to disk as they
 * would in a user's browser; resolves with the persistent context.
 */
export function launchPersistent(profileDir) {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, { executablePath: executable(), args: CHROMIUM_ARGS, headless: true });
}

/** Forwards a page's console errors and uncaught exceptions to stderr, prefixed, so a failing page is visible. */
export function watchPage(page, label) {
  page.on('pageerror', (error) => console.error(`[${label}] page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) console.error(`[${label}] console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) console.error(`[${label}] ${response.status()} ${response.url()}`);
  });
}
