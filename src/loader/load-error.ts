import { PlugboardError, messageOf, type LoadStage } from '../errors/index.ts';

/** One failed load, as data: where it failed and what a person can do about it. */
export interface LoadError {
  group: string;
  name: string;
  url: string;
  stage: LoadStage;
  message: string;
  hint: string;
  /** The stable error code (`UNMAPPED_IMPORT`, `INTEGRITY_MISMATCH`, …). */
  code: string;
}

/** What `loadGroup` reports: the names that loaded, and one record per failure. */
export interface LoadReport {
  loaded: string[];
  errors: LoadError[];
}

/** Turns any failure into a LoadError; anything that is not a PlugboardError is reported at `fallbackStage`. */
export function toLoadError(
  thrown: unknown,
  where: { group: string; name: string; url: string },
  fallbackStage: LoadStage,
): LoadError {
  if (thrown instanceof PlugboardError) {
    return {
      group: thrown.group ?? where.group,
      name: thrown.plugin ?? where.name,
      url: thrown.url ?? where.url,
      stage: thrown.stage ?? fallbackStage,
      message: thrown.message,
      hint: thrown.hint ?? '',
      code: thrown.code,
    };
  }
  return {
    ...where,
    stage: fallbackStage,
    message: messageOf(thrown),
    hint: '',
    code: 'LOAD_FAILED',
  };
}
