import { TrackingError } from '../store-kit/index.ts';

/** What a `models:/` URI names: a model and one of a version, a stage, an alias, or its latest version. */
export type ModelUri =
  | { name: string; version: string }
  | { name: string; stage: string }
  | { name: string; alias: string }
  | { name: string; latest: true };

const FORMS = "models:/<name>/<version>, models:/<name>/<stage>, models:/<name>/latest or models:/<name>@<alias>";

function improper(uri: string, field: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', `"${uri}" is not a proper models:/ URI`, { field, hint: `Write it as ${FORMS}.` });
}

/** Whether a URI has the `models:` scheme (any case), as MLflow recognises registry sources. */
export const isModelsUri = (uri: string): boolean => /^models:/i.test(uri);

/**
 * Reads a `models:/` URI as MLflow's `_parse_model_uri` does: `/<name>/<digits>` is a version, `/<name>/latest`
 * (any case) the newest version, `/<name>/<other>` a stage, `/<name>@<alias>` an alias. Anything else — another
 * scheme, a host (`models://…`), a bare `models:/<name>`, more path parts — is INVALID_PARAMETER_VALUE.
 */
export function parseModelUri(uri: string, field = 'uri'): ModelUri {
  if (typeof uri !== 'string' || !isModelsUri(uri)) throw improper(String(uri), field);
  const path = uri.slice('models:'.length);
  if (!path.startsWith('/') || path.startsWith('//') || path.length <= 1) throw improper(uri, field);
  const parts = path.slice(1).split('/');
  if (parts.length > 2 || parts[0]!.trim() === '') throw improper(uri, field);
  if (parts.length === 2) {
    const [name, suffix] = parts as [string, string];
    if (suffix.trim() === '') throw improper(uri, field);
    if (/^\d+$/.test(suffix)) return { name, version: suffix };
    if (suffix.toLowerCase() === 'latest') return { name, latest: true };
    return { name, stage: suffix };
  }
  const at = parts[0]!.lastIndexOf('@');
  if (at <= 0 || parts[0]!.slice(at + 1).trim() === '') throw improper(uri, field);
  return { name: parts[0]!.slice(0, at), alias: parts[0]!.slice(at + 1) };
}
