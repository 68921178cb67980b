import { PlugboardError, messageOf, type LoadStage } from '../errors/index.ts';

/**
 * One problem of a failed load, as data; `formatError` renders it (the page and the command line print these
 * fields, and nothing parses text). A plugin that fails in several ways at once (three contract fields) gives
 * one record per problem, each with its own `field` and `hint`.
 */
export interface LoadError {
  /** The stable error code (`UNMAPPED_IMPORT`, `INTEGRITY_MISMATCH`, …). */
  code: string;
  /** Where on the load path it failed: `manifest`, `origin`, `fetch`, `integrity`, `lex`, `import`, `timeout`, `validate`, `register`. */
  stage: LoadStage;
  /** The entry point's group; '' for a problem of a manifest as a whole. */
  group: string;
  /** The entry point's name; '' for a problem of a manifest as a whole. */
  plugin: string;
  /** The plugin module's URL, or the manifest's for a manifest problem. */
  url: string;
  /** What went wrong, naming the bad value and the expected one (no url or hint folded in). */
  problem: string;
  /** Where in the plugin or manifest: a contract field (`merge`), a JSON path, `line 3`. */
  field?: string;
  /** What to do about it. */
  hint?: string;
}

/** What `loadGroup` reports: the names that loaded, and every problem of the ones that did not. */
export interface LoadReport {
  loaded: string[];
  errors: LoadError[];
}

/**
 * Turns any failure into its LoadErrors, one per problem (a PlugboardError's `problems`); fields it does not
 * carry come from `where`, and anything that is not a PlugboardError is one LOAD_FAILED problem at `fallbackStage`.
 */
export function toLoadErrors(
  thrown: unknown,
  where: { group: string; plugin: string; url: string },
  fallbackStage: LoadStage,
): LoadError[] {
  if (!(thrown instanceof PlugboardError)) {
    return [{ ...where, code: 'LOAD_FAILED', stage: fallbackStage, problem: messageOf(thrown) }];
  }
  return thrown.problems.map((problem) => ({
    code: problem.code,
    stage: problem.stage ?? thrown.stage ?? fallbackStage,
    group: problem.group ?? thrown.group ?? where.group,
    plugin: problem.plugin ?? thrown.plugin ?? where.plugin,
    url: problem.url ?? thrown.url ?? where.url,
    problem: problem.problem,
    ...(problem.field === undefined ? {} : { field: problem.field }),
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  }));
}
