import { defineContextProvider } from 'plugboard/sdk';

/** Where the page is, without its query and fragment (they may carry tokens), or undefined outside a page. */
function pageSource(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown; origin?: unknown; pathname?: unknown } }).location;
  if (!location || typeof location.href !== 'string' || location.href === '') return undefined;
  if (typeof location.origin === 'string' && location.origin !== 'null' && typeof location.pathname === 'string') return `${location.origin}${location.pathname}`;
  return location.href.split(/[?#]/)[0];
}

/**
 * Tags a run with the page it was started from: `mlflow.source.name` = the page URL without query or
 * fragment, `mlflow.source.type` = `LOCAL`. In context whenever `location` exists (a page or a worker).
 */
export const pageContext = defineContextProvider({
  name: 'page',
  description: 'Tags a run with the page URL as its source name.',
  inContext: () => pageSource() !== undefined,
  tags: () => ({ 'mlflow.source.name': pageSource() ?? '', 'mlflow.source.type': 'LOCAL' }),
});
