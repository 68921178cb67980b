import { PlugboardError } from '../errors/index.ts';
import type { EvaluationSource } from './evaluation-types.ts';

/** The loader a file name's extension implies, with the options that go with it. */
export const LOADER_BY_EXTENSION: Readonly<Record<string, { loader: string; options?: Record<string, unknown> }>> = {
  '.txt': { loader: 'lines' },
  '.jsonl': { loader: 'jsonl' },
  '.ndjson': { loader: 'jsonl' },
  '.csv': { loader: 'csv' },
  '.tsv': { loader: 'csv', options: { delimiter: '\t' } },
  '.parquet': { loader: 'parquet' },
};

/** The lower-case extension of a file name, path or URL (`.csv`), or '' when it has none. */
export function extensionOf(name: string): string {
  let path = name;
  try {
    if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(name)) path = new URL(name).pathname;
  } catch {
    // not a URL: a path
  }
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** A source's name as a person calls it: a File's name, a URL or path, or a description of a Blob or records. */
export function nameOf(source: EvaluationSource, given?: string): string {
  if (given) return given;
  if (typeof File !== 'undefined' && source instanceof File) return source.name || 'the uploaded file';
  if (typeof Blob !== 'undefined' && source instanceof Blob) return 'the uploaded data';
  if (Array.isArray(source)) return 'the records';
  return String(source);
}

/**
 * Chooses the data loader: the one asked for, else the one the source name's extension implies (with its
 * options, e.g. tab-separated for `.tsv`). Throws UNKNOWN_DATA_FORMAT listing the extensions it knows.
 */
export function chooseLoader(name: string, asked: string | undefined): { loader: string; options: Record<string, unknown> } {
  if (asked) return { loader: asked, options: {} };
  const implied = LOADER_BY_EXTENSION[extensionOf(name)];
  if (implied) return { loader: implied.loader, options: { ...implied.options } };
  throw new PlugboardError({
    code: 'UNKNOWN_DATA_FORMAT',
    group: 'codex_ml.data_loaders',
    field: 'loader',
    problem: `cannot tell the format of ${name} from its extension (known: ${Object.keys(LOADER_BY_EXTENSION).join(', ')})`,
    hint: 'Choose a data loader: lines, jsonl, csv or parquet.',
  });
}
