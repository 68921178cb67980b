import { chainComparisons, compareByValue, parseOrderByTerm } from './order-by.ts';
import { resolveRunField } from './run-identifiers.ts';
import type { SearchableRun } from './searchable.ts';

type RunComparison = (a: SearchableRun, b: SearchableRun) => number;

const startTimeDescending = compareByValue<SearchableRun>((run) => run.info.startTime, false);
const runIdAscending = compareByValue<SearchableRun>((run) => run.info.runId, true);

/**
 * Compiles MLflow order_by entries (`["metrics.acc DESC", "attributes.start_time ASC"]`) into a comparison of
 * runs for `Array.prototype.sort`. Missing values and NaN sort last in both directions; ties fall back to
 * start_time DESC, then run_id; an empty list gives that default order. A malformed entry throws a
 * SearchError naming the entry (`orderBy[1]`) and its failing column.
 */
export function compileOrderBy(orderBy: readonly string[] | undefined | null): RunComparison {
  const comparisons = (orderBy ?? []).map((entry, index) => {
    const term = parseOrderByTerm(entry, `orderBy[${index}]`);
    const field = resolveRunField(term.prefix, term.key, { text: entry, field: term.field }, term.column, 'orderBy');
    return compareByValue(field.read, term.ascending);
  });
  return chainComparisons([...comparisons, startTimeDescending, runIdAscending]);
}
