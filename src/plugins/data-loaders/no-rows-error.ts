import { PlugboardError } from '../../errors/index.ts';
import type { LoadSummary } from './record-stream.ts';

/**
 * Builds the `NO_ROWS` error of an evaluation whose source gave no records — an empty file, a CSV file with a
 * header only, or one whose every row was skipped as malformed (`summary.skipped`). A loader yields nothing
 * for such a source without complaint; scoring it would give NaN, so whoever scores records reports this
 * instead. `loader` names the data loader that read the source, when known.
 */
export function noRowsError(source: string, summary?: Pick<LoadSummary, 'skipped'>, loader?: string): PlugboardError {
  const skipped = summary?.skipped ?? 0;
  return new PlugboardError({
    code: 'NO_ROWS',
    group: 'codex_ml.data_loaders',
    ...(loader === undefined ? {} : { plugin: loader }),
    url: source,
    problem:
      skipped > 0
        ? `${source} has no rows to score: all ${skipped} of its rows were skipped as malformed`
        : `${source} has no rows to score, so no metric has a value`,
    hint:
      skipped > 0
        ? 'Fix the skipped rows, or check the loader options (delimiter, header, columns).'
        : 'Check that this is the file meant; a CSV file needs at least one row below its header.',
  });
}
