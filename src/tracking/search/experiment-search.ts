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
  kind: 'string' | 'number';
  isTag: boolean;
  read: ExperimentRead;
}

const ATTRIBUTE_PREFIXES = new Set(['attribute', 'attributes', 'attr']);
const TAG_PREFIXES = new Set(['tag', 'tags']);
const FILTER_ATTRIBUTES: Readonly<Record<string, ExperimentField>> = {
  name: { kind: 'string', isTag: false, read: (experiment) => experiment.name },
  creation_time: { kind: 'number', isTag: false, read: (experiment) => experiment.creationTime },
  last_update_time: { kind: 'number', isTag: false, read: (experiment) => experiment.lastUpdateTime },
};
const ORDER_ATTRIBUTES: Readonly<Record<string, ExperimentField>> = {
  ...FILTER_ATTRIBUTES,
  experiment_id: { kind: 'string', isTag: false, read: (experiment) => experiment.experimentId },
};
const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];

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
    clauseError(context, column, `"${prefix}" is not an entity type for experiments`, 'Experiments are searched by name, creation_time, last_update_time and tags.<key>.');
  }
  if (!Object.hasOwn(attributes, key)) {
    clauseError(context, column, `"${key}" is not an experiment attribute`, `Valid attributes: ${Object.keys(attributes).join(', ')}; for a tag write tags.${key}.`);
  }
  return attributes[key]!;
}

/**
 * Compiles an experiment filter (`name LIKE 'exp%' AND tags.team = 'nlp' AND creation_time > 0`) into a
 * predicate; an empty filter matches every experiment and an experiment lacking the key never matches.
 * A malformed filter throws a SearchError with the failing column.
 */
export function parseExperimentFilter(filter: string | undefined | null): (experiment: SearchableExperiment) => boolean {
  const text = filter ?? '';
  const context = { text, field: 'filter' };
  const tests = parseFilterClauses(text).map((clause) => {
    const field = resolveExperimentField(clause.prefix, clause.key, FILTER_ATTRIBUTES, context, clause.column);
    const name = clause.prefix === undefined ? clause.key : `${clause.prefix}.${clause.key}`;
    const allowed = field.kind === 'number' ? NUMERIC_COMPARATORS : STRING_COMPARATORS;
    if (!allowed.includes(clause.comparator)) {
      clauseError(context, clause.comparatorColumn, `${clause.comparator} cannot compare "${name}"`, `Use one of ${allowed.join(' ')}.`);
    }
    const read = field.read;
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
 * comparison; an empty list means `last_update_time DESC`. Missing values sort last; ties break by
 * experiment id DESC unless experiment_id is itself a key. A malformed entry throws a SearchError.
 */
export function compileExperimentOrderBy(orderBy: readonly string[] | undefined | null): (a: SearchableExperiment, b: SearchableExperiment) => number {
  const entries = orderBy && orderBy.length > 0 ? orderBy : ['last_update_time DESC'];
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
