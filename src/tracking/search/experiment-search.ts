import {
  chainComparisons,
  clauseError,
  compareByValue,
  compileNumberComparison,
  compileStringComparison,
  findValue,
  parseFilterClauses,
  parseOrderByTerm,
  type ClauseErrorContext,
  type Comparator,
} from '../../store-kit/index.ts';
import type { SearchableExperiment } from './searchable.ts';

type ExperimentRead = (experiment: SearchableExperiment) => string | number | undefined;
interface ExperimentField {
  /** `id` is MLflow's integer experiment_id column, compared with quoted whole numbers. */
  kind: 'string' | 'number' | 'id';
  isTag: boolean;
  read: ExperimentRead;
}

const ATTRIBUTE_PREFIXES = new Set(['attribute', 'attributes', 'attr']);
const TAG_PREFIXES = new Set(['tag', 'tags']);
const FILTER_ATTRIBUTES: Readonly<Record<string, ExperimentField>> = {
  name: { kind: 'string', isTag: false, read: (experiment) => experiment.name },
  experiment_id: { kind: 'id', isTag: false, read: (experiment) => experiment.experimentId },
  creation_time: { kind: 'number', isTag: false, read: (experiment) => experiment.creationTime },
  last_update_time: { kind: 'number', isTag: false, read: (experiment) => experiment.lastUpdateTime },
};
const ORDER_ATTRIBUTES = FILTER_ATTRIBUTES;
const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const ID_COMPARATORS: readonly Comparator[] = ['=', '!=', 'IN', 'NOT IN'];
const TAG_COMPARATORS: readonly Comparator[] = [...STRING_COMPARATORS, 'IS NULL', 'IS NOT NULL'];

function resolveExperimentField(
  prefix: string | undefined,
  key: string,
  attributes: Readonly<Record<string, ExperimentField>>,
  context: ClauseErrorContext,
  column: number,
): ExperimentField {
  if (prefix !== undefined && TAG_PREFIXES.has(prefix)) {
    return { kind: 'string', isTag: true, read: (experiment) => findValue(experiment.tags, key) };
  }
  if (prefix !== undefined && !ATTRIBUTE_PREFIXES.has(prefix)) {
    clauseError(context, column, `"${prefix}" is not an entity type for experiments`, 'Experiments are searched by name, experiment_id, creation_time, last_update_time and tags.<key>.');
  }
  if (!Object.hasOwn(attributes, key)) {
    clauseError(context, column, `"${key}" is not an experiment attribute`, `Valid attributes: ${Object.keys(attributes).join(', ')}; for a tag write tags.${key}.`);
  }
  return attributes[key]!;
}

/**
 * Reads an experiment id written in a filter as MLflow's SQL store does (Python's `int()`): surrounding blanks,
 * a sign, leading zeros and single underscores between digits are allowed; anything else throws.
 */
function parseExperimentIdValue(value: string, context: ClauseErrorContext, column: number): bigint {
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) {
    clauseError(context, column, `"${value}" is not an experiment ID (experiment IDs are whole numbers)`, "Quote the id as a whole number: experiment_id = '1' or experiment_id IN ('1', '2').");
  }
  return BigInt(value.trim().replaceAll('_', ''));
}

/** The experiment's id as a whole number, or null for an id that is not one (which no id filter matches). */
function experimentIdNumber(experiment: SearchableExperiment): bigint | null {
  return /^-?\d+$/.test(experiment.experimentId) ? BigInt(experiment.experimentId) : null;
}

/**
 * Compiles an experiment filter (`name LIKE 'exp%' AND tags.team = 'nlp' AND experiment_id IN ('1', '2')`) into
 * a predicate; an empty filter matches every experiment and an experiment lacking the key never matches.
 * `experiment_id` takes = != IN NOT IN with quoted whole numbers; tags also take IS NULL and IS NOT NULL.
 * A malformed filter throws a SearchError with the failing column.
 */
export function parseExperimentFilter(filter: string | undefined | null): (experiment: SearchableExperiment) => boolean {
  const text = filter ?? '';
  const context = { text, field: 'filter' };
  const tests = parseFilterClauses(text).map((clause) => {
    const field = resolveExperimentField(clause.prefix, clause.key, FILTER_ATTRIBUTES, context, clause.column);
    const name = clause.prefix === undefined ? clause.key : `${clause.prefix}.${clause.key}`;
    if (clause.value.kind === 'none' && !field.isTag) {
      clauseError(context, clause.comparatorColumn, `${clause.comparator} is only supported for tags, not for the attribute "${name}"`, `Test a tag instead: tags.<key> ${clause.comparator}.`);
    }
    const allowed = field.isTag ? TAG_COMPARATORS : field.kind === 'number' ? NUMERIC_COMPARATORS : field.kind === 'id' ? ID_COMPARATORS : STRING_COMPARATORS;
    if (!allowed.includes(clause.comparator)) {
      clauseError(context, clause.comparatorColumn, `${clause.comparator} cannot compare "${name}"`, `Use one of ${allowed.join(' ')}.`);
    }
    const read = field.read;
    if (clause.value.kind === 'none') {
      const present = clause.comparator === 'IS NOT NULL';
      return (experiment: SearchableExperiment) => (read(experiment) !== undefined) === present;
    }
    if (field.kind === 'id') {
      if (clause.value.kind === 'number') clauseError(context, clause.valueColumn, `"${name}" needs a quoted value`, `Quote the id: ${name} ${clause.comparator} '${clause.value.raw}'.`);
      const listed = clause.value.kind === 'list' ? clause.value.value : [clause.value.value];
      const wanted = new Set(listed.map((item) => parseExperimentIdValue(item, context, clause.valueColumn)));
      const inside = clause.comparator === '=' || clause.comparator === 'IN';
      return (experiment: SearchableExperiment) => {
        const id = experimentIdNumber(experiment);
        return id !== null && wanted.has(id) === inside;
      };
    }
    if (field.kind === 'number') {
      if (clause.value.kind !== 'number') clauseError(context, clause.valueColumn, `"${name}" needs a numeric value`, `Write the number without quotes: ${name} ${clause.comparator} 0.`);
      const test = compileNumberComparison(clause.comparator, clause.value.value);
      return (experiment: SearchableExperiment) => {
        const left = read(experiment);
        return typeof left === 'number' && test(left);
      };
    }
    if (clause.value.kind !== 'string') clauseError(context, clause.valueColumn, `"${name}" needs a quoted string value`, `Quote the value: ${name} ${clause.comparator} 'value'.`);
    const test = compileStringComparison(clause.comparator, clause.value.value);
    return (experiment: SearchableExperiment) => {
      const left = read(experiment);
      return typeof left === 'string' && test(left);
    };
  });
  return (experiment) => tests.every((test) => test(experiment));
}

/** Orders experiment ids as numbers when both are whole numbers (MLflow's SQL ids), else as strings. */
function compareExperimentIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const difference = a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    return Math.sign(difference);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compiles experiment order_by entries (keys name, experiment_id, creation_time, last_update_time) into a
 * comparison; an empty list means MLflow's SQL default, `creation_time DESC, experiment_id ASC`. Missing values
 * sort last; ties break by experiment id DESC unless experiment_id is itself a key. A malformed entry throws a
 * SearchError.
 */
export function compileExperimentOrderBy(orderBy: readonly string[] | undefined | null): (a: SearchableExperiment, b: SearchableExperiment) => number {
  const entries = orderBy && orderBy.length > 0 ? orderBy : ['creation_time DESC', 'experiment_id ASC'];
  let hasIdKey = false;
  const comparisons = entries.map((entry, index) => {
    const term = parseOrderByTerm(entry, `orderBy[${index}]`);
    const context = { text: entry, field: term.field };
    if (term.prefix !== undefined && TAG_PREFIXES.has(term.prefix)) {
      clauseError(context, term.column, 'experiments cannot be ordered by tags', `Order by one of ${Object.keys(ORDER_ATTRIBUTES).join(', ')}.`);
    }
    resolveExperimentField(term.prefix, term.key, ORDER_ATTRIBUTES, context, term.column);
    if (term.key === 'experiment_id') {
      hasIdKey = true;
      const sign = term.ascending ? 1 : -1;
      return (a: SearchableExperiment, b: SearchableExperiment) => sign * compareExperimentIds(a.experimentId, b.experimentId);
    }
    return compareByValue(ORDER_ATTRIBUTES[term.key]!.read, term.ascending);
  });
  if (!hasIdKey) comparisons.push((a, b) => compareExperimentIds(b.experimentId, a.experimentId));
  return chainComparisons(comparisons);
}
