import { describeValue } from '../errors/index.ts';
import { TrackingError } from '../store-kit/index.ts';

function invalidPath(problem: string, field: string, hint: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', problem, { field, hint });
}

const PATH_HINT = 'Give a relative POSIX path such as "model/weights.bin": no leading "/", no "..", no empty segments.';

/**
 * Normalises a relative POSIX artifact path: drops `.` segments and, when `allowTrailingSlash`, one trailing
 * slash. Rejects with INVALID_PARAMETER_VALUE a non-string, an absolute path, a `..` segment, an empty
 * segment (`a//b`) and control characters; the empty path (the root) is allowed only when `allowRoot`.
 */
export function normalizeArtifactPath(path: unknown, field: string, options: { allowRoot?: boolean; allowTrailingSlash?: boolean } = {}): string {
  if (typeof path !== 'string') throw invalidPath(`${field} must be a string, received ${describeValue(path)}`, field, PATH_HINT);
  let text = path;
  if (options.allowTrailingSlash && text.length > 1 && text.endsWith('/')) text = text.slice(0, -1);
  if (text === '' || text === '.') {
    if (options.allowRoot) return '';
    throw invalidPath(`${field} is empty; a file needs a path`, field, PATH_HINT);
  }
  if (text.startsWith('/')) throw invalidPath(`${field} "${path}" is absolute`, field, PATH_HINT);
  if (/^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\')) throw invalidPath(`${field} "${path}" looks like a Windows absolute path`, field, PATH_HINT);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw invalidPath(`${field} "${JSON.stringify(path).slice(1, -1)}" contains a control character`, field, PATH_HINT);
  const segments: string[] = [];
  for (const segment of text.split('/')) {
    if (segment === '') throw invalidPath(`${field} "${path}" has an empty segment`, field, PATH_HINT);
    if (segment === '..') throw invalidPath(`${field} "${path}" climbs out of its directory with ".."`, field, PATH_HINT);
    if (segment !== '.') segments.push(segment);
  }
  if (segments.length === 0) {
    if (options.allowRoot) return '';
    throw invalidPath(`${field} "${path}" names the root, not a file`, field, PATH_HINT);
  }
  return segments.join('/');
}

/** Returns every proper ancestor directory of a normalised path, outermost first (`a/b/c` → `a`, `a/b`). */
export function ancestorsOf(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(0, -1).map((_, index) => segments.slice(0, index + 1).join('/'));
}
