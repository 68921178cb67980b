import { clauseError, compileNumberComparison, compileStringComparison, parseFilterClauses, type Comparator, type FilterClause } from '../../store-kit/index.ts';
import { resolveRunField } from './run-identifiers.ts';
import type { SearchableRun } from './searchable.ts';

const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const STRING_ATTRIBUTE_COMPARATORS: readonly Comparator[] = [...STRING_COMPARATORS, 'IN', 'NOT IN'];
/** Params and tags may also be tested for presence, as in MLflow. */
const PRESENCE_COMPARATORS: readonly Comparator[] = [...STRING_COMPARATORS, 'IS NULL', 'IS NOT NULL'];

type RunTest = (run: SearchableRun) => boolean;

/**
 * Compiles an MLflow run filter (`metrics.acc > 0.9 AND params.model = 'cnn'`) once into a predicate over
 * runs. An empty or blank filter matches every run; a run lacking the compared key never matches, even with
 * `!=`. A malformed filter throws a SearchError (code INVALID_PARAMETER_VALUE) whose `column` points at the
 * failing character.
 */
export function parseRunFilter(filter: string | undefined | null): RunTest {
  const text = filter ?? '';
  const tests = parseFilterClauses(text).map((clause) => compileClause(clause, text));
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (run) => {
    for (let index = 0; index < tests.length; index += 1) if (!tests[index]!(run)) return false;
    return true;
  };
}

function compileClause(clause: FilterClause, text: string): RunTest {
  const context = { text, field: 'filter' };
  const field = resolveRunField(clause.prefix, clause.key, context, clause.column, 'filter');
  const name = clause.prefix === undefined ? clause.key : `${clause.prefix}.${clause.key}`;
  const allowed =
    field.valueKind === 'number'
      ? NUMERIC_COMPARATORS
      : field.entity === 'attribute'
        ? STRING_ATTRIBUTE_COMPARATORS
        : field.entity === 'param' || field.entity === 'tag'
          ? PRESENCE_COMPARATORS
          : STRING_COMPARATORS;
  if (!allowed.includes(clause.comparator)) {
    clauseError(context, clause.comparatorColumn, `${clause.comparator} cannot compare ${describeField(field.entity, field.valueKind)} "${name}"`, `Use one of ${allowed.join(' ')}.`);
  }
  const read = field.read;
  if (clause.value.kind === 'none') {
    const present = clause.comparator === 'IS NOT NULL';
    return (run) => (read(run) !== undefined) === present;
  }
  if (field.valueKind === 'number') {
    if (clause.value.kind !== 'number') {
      clauseError(context, clause.valueColumn, `${describeField(field.entity, 'number')} "${name}" needs a numeric value`, `Write the number without quotes: ${name} ${clause.comparator} 0.5.`);
    }
    const test = compileNumberComparison(clause.comparator, clause.value.value);
    return (run) => {
      const left = read(run);
      return typeof left === 'number' && test(left);
    };
  }
  if (clause.value.kind === 'number') {
    clauseError(context, clause.valueColumn, `${describeField(field.entity, 'string')} "${name}" needs a quoted string value, found ${clause.value.raw}`, `Quote the value: ${name} ${clause.comparator} '${clause.value.raw}'.`);
  }
  if (clause.value.kind === 'list' && field.key !== 'run_id') {
    clauseError(context, clause.comparatorColumn, `only the run_id attribute accepts ${clause.comparator} (...), not "${name}"`, `Compare "${name}" with = or LIKE, or filter on run_id IN ('...').`);
  }
  const test = compileStringComparison(clause.comparator, clause.value.value);
  return (run) => {
    const left = read(run);
    return typeof left === 'string' && test(left);
  };
}

function describeField(entity: string, kind: 'number' | 'string'): string {
  if (entity === 'attribute') return `the ${kind === 'number' ? 'numeric' : 'string'} attribute`;
  return `the ${entity}`;
}
