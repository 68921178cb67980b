import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether an argument is a URL (a scheme of two letters or more) rather than a file path. */
export function isUrl(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(text);
}

/** Returns a URL as it is and a file path as the absolute path it names from `cwd`. */
export function resolvePath(text: string, cwd: string): string {
  return isUrl(text) || isAbsolute(text) ? text : resolve(cwd, text);
}

/** Returns a URL as it is and a file path as its file: URL, resolved from `cwd`. */
export function toUrl(text: string, cwd: string): string {
  return isUrl(text) ? text : pathToFileURL(resolve(cwd, text)).href;
}

/** The lower-case extension of a path or URL (`.csv`), ignoring a URL's query and fragment; '' when none. */
export function extensionOf(text: string): string {
  const path = isUrl(text) ? new URL(text).pathname : text;
  const match = /\.([A-Za-z0-9]+)$/.exec(path);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}
