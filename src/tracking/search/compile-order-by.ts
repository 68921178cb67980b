import { compareValues, parseOrderByTerm } from '../../store-kit/index.ts';
import { resolveRunField } from './run-identifiers.ts';
import type { SearchableRun } from './searchable.ts';

type RunComparison = (a: SearchableRun, b: SearchableRun) => number;

/** The values a run sorts by, in order, and each one's direction. */
interface SortKeys {
  read: ((run: SearchableRun) => unknown)[];
  ascending: boolean[];
}

/** Parses order_by entries into sort keys, ending with MLflow's tiebreak: start_time DESC, then run_id. */
function compileSortKeys(orderBy: readonly string[] | undefined | null): SortKeys {
  const keys: SortKeys = { read: [], ascending: [] };
  (orderBy ?? []).forEach((entry, index) => {
    const term = parseOrderByTerm(entry, `orderBy[${index}]`);
    keys.read.push(resolveRunField(term.prefix, term.key, { text: entry, field: term.field }, term.column, 'orderBy').read);
    keys.ascending.push(term.ascending);
  });
  keys.read.push((run) => run.info.startTime, (run) => run.info.runId);
  keys.ascending.push(false, true);
  return keys;
}

function compareTuples(left: readonly unknown[], right: readonly unknown[], ascending: readonly boolean[]): number {
  for (let index = 0; index < left.length; index += 1) {
    const result = compareValues(left[index], right[index], ascending[index]!);
    if (result !== 0) return result;
  }
  return 0;
}

/**
 * Compiles MLflow order_by entries (`["metrics.acc DESC", "attributes.start_time ASC"]`) into a comparison of
 * runs for `Array.prototype.sort`. Missing values and NaN sort last in both directions; ties fall back to
 * start_time DESC, then run_id; an empty list gives that default order. The comparison reads each run's sort
 * values once and remembers them for the run object, so compile a fresh one after changing runs in place.
 * A malformed entry throws a SearchError naming the entry (`orderBy[1]`) and its failing column.
 */
export function compileOrderBy(orderBy: readonly string[] | undefined | null): RunComparison {
  const keys = compileSortKeys(orderBy);
  const cache = new WeakMap<SearchableRun, unknown[]>();
  const valuesOf = (run: SearchableRun): unknown[] => {
    let values = cache.get(run);
    if (values === undefined) {
      values = keys.read.map((read) => read(run));
      cache.set(run, values);
    }
    return values;
  };
  return (a, b) => compareTuples(valuesOf(a), valuesOf(b), keys.ascending);
}

/**
 * Compiles order_by entries, as `compileOrderBy` does, into a function that sorts an array of runs in place
 * and returns it. It reads each run's sort values once before sorting, which makes it the faster choice for
 * big arrays (10,000 runs in a few milliseconds).
 */
export function compileRunSort(orderBy: readonly string[] | undefined | null): <R extends SearchableRun>(runs: R[]) => R[] {
  const keys = compileSortKeys(orderBy);
  return <R extends SearchableRun>(runs: R[]): R[] => {
    const decorated = runs.map((run) => ({ run, values: keys.read.map((read) => read(run)) }));
    decorated.sort((a, b) => compareTuples(a.values, b.values, keys.ascending));
    for (let index = 0; index < decorated.length; index += 1) runs[index] = decorated[index]!.run;
    return runs;
  };
}
