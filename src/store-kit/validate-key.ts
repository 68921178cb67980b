import { describeValue } from '../errors/index.ts';
import { TrackingError } from './tracking-error.ts';

/** The longest metric, param or tag key MLflow accepts (`mlflow/utils/validation.py`). */
export const KEY_LENGTH_LIMIT = 250;

// Python's `\w` is Unicode-aware, so letters and digits of any script are allowed, as are `_ - . space /`.
const KEY_PATTERN = /^[/\p{L}\p{N}\p{M}_.\- ]*$/u;

function invalid(problem: string, field: string, hint?: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', problem, hint === undefined ? { field } : { field, hint });
}

/** POSIX `normpath` as Python's posixpath computes it: collapses `//`, `.` and `a/..`. */
export function normalizePosixPath(path: string): string {
  if (path === '') return '.';
  const leading = path.startsWith('/') ? (path.startsWith('//') && !path.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (leading === 0 && parts.length === 0) || (parts.length > 0 && parts[parts.length - 1] === '..')) parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = '/'.repeat(leading) + parts.join('/');
  return joined === '' ? '.' : joined;
}

/**
 * Checks a metric, param or tag key: a string of at most 250 letters, digits, `_ - . space /` that stays the
 * same under POSIX normpath (not `.`, no leading `/` or `..`, no `a//b`). Throws INVALID_PARAMETER_VALUE
 * naming `field`.
 */
export function validateKey(key: unknown, field: string, what = 'key'): asserts key is string {
  if (typeof key !== 'string') throw invalid(`${what} must be a string, received ${describeValue(key)}`, field);
  if (key.length > KEY_LENGTH_LIMIT) {
    throw invalid(`${what} "${key.slice(0, 40)}…" is ${key.length} characters long; the limit is ${KEY_LENGTH_LIMIT}`, field);
  }
  if (!KEY_PATTERN.test(key)) {
    throw invalid(`${what} "${key}" has characters other than letters, digits, _, -, ., space and /`, field, 'Rename the key using only those characters.');
  }
  const normalized = normalizePosixPath(key);
  if (normalized !== key || normalized === '.' || normalized.startsWith('..') || normalized.startsWith('/')) {
    throw invalid(
      `${what} "${key}" would resolve to "${normalized}" when treated as a file path`,
      field,
      'Keys may be used as file names: avoid empty keys, leading "/" or "..", "." segments and "//".',
    );
  }
}
