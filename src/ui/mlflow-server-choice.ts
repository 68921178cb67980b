// The MLflow server a person chose in the Runs view: the URL they typed, checked before anything is sent, and
// remembered in localStorage so a reload opens the same server again, as MLFLOW_TRACKING_URI stays set.
import { PlugboardError } from '../errors/index.ts';

/** The localStorage key of the server the Runs view shows (absent while it shows the browser's own runs). */
export const OPEN_SERVER_KEY = 'plugboard.runs.mlflow-server';
/** The localStorage key of the servers opened or sent to before, newest first. */
export const RECENT_SERVERS_KEY = 'plugboard.runs.mlflow-servers';
const RECENT_LIMIT = 5;

/**
 * Reads a typed server URL as a tracking URI: trimmed, trailing slashes dropped. Throws a PlugboardError
 * (code INVALID_SERVER_URL, field "url") for an empty text, one without a scheme (suggesting http://), a text
 * that is not a URL, a scheme other than http or https, or a query, with an example of a right one.
 */
export function readServerUrl(text: string): string {
  const typed = text.trim();
  const example = 'Enter the address the server was started on, for example http://127.0.0.1:5000 (mlflow server --port 5000).';
  if (typed === '') throw new PlugboardError({ code: 'INVALID_SERVER_URL', field: 'url', problem: 'no MLflow server URL was entered', hint: example });
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(typed)) {
    // `127.0.0.1:5000` or `localhost:5000`: the address without its scheme, the commonest slip.
    throw new PlugboardError({
      code: 'INVALID_SERVER_URL',
      field: 'url',
      problem: `"${typed}" does not start with http:// or https://`,
      hint: `Did you mean http://${typed}? ${example}`,
    });
  }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    throw new PlugboardError({ code: 'INVALID_SERVER_URL', field: 'url', problem: `"${typed}" is not a URL`, hint: `${example} Include http:// or https://.` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlugboardError({
      code: 'INVALID_SERVER_URL',
      field: 'url',
      problem: `"${typed}" is not an http or https URL (an MLflow tracking server is reached over HTTP)`,
      hint: `${example} Include http:// or https://.`,
    });
  }
  if (url.search || url.hash) {
    throw new PlugboardError({ code: 'INVALID_SERVER_URL', field: 'url', problem: `"${typed}" has a query or fragment; a tracking URI is the server's base URL`, hint: example });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** localStorage, or undefined where the page may not use it (a sandboxed frame, storage turned off). */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** The server the Runs view showed last, or undefined when it showed the browser's own runs. */
export function openServer(): string | undefined {
  return storage()?.getItem(OPEN_SERVER_KEY) ?? undefined;
}

/** Remembers the server the Runs view shows (undefined: the browser's own runs) and adds it to the recent ones. */
export function rememberOpenServer(url: string | undefined): void {
  const store = storage();
  if (!store) return;
  if (url === undefined) store.removeItem(OPEN_SERVER_KEY);
  else {
    store.setItem(OPEN_SERVER_KEY, url);
    rememberRecentServer(url);
  }
}

/** The servers opened or sent to before, newest first (at most five); an unreadable entry counts as none. */
export function recentServers(): string[] {
  try {
    const list = JSON.parse(storage()?.getItem(RECENT_SERVERS_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string').slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Puts a server first among the recent ones. */
export function rememberRecentServer(url: string): void {
  storage()?.setItem(RECENT_SERVERS_KEY, JSON.stringify([url, ...recentServers().filter((item) => item !== url)].slice(0, RECENT_LIMIT)));
}

/** The address of a run in the MLflow server's own web UI. */
export function mlflowRunLink(serverUrl: string, experimentId: string, runId: string): string {
  return `${serverUrl}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
}
