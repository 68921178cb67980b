import {
  chainComparisons,
  clauseError,
  compareByValue,
  compileNumberComparison,
  compileStringComparison,
  findValue,
  parseFilterClauses,
  parseOrderByTerm,
  type Comparator,
} from '../store-kit/index.ts';
import type { RegistryTag } from './types.ts';

/** What registry search reads of a registered model or a model version record. */
export interface SearchableRegistryItem {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  tags: readonly RegistryTag[];
}

/** A searchable attribute of a registry item. */
interface AttributeSpec<T> {
  kind: 'string' | 'number';
  read: (item: T) => string | number | undefined;
  /** Whether `IN (...)` / `NOT IN (...)` may compare it. */
  allowsList?: boolean;
  /** The stored field it orders by, so that two names of one field count as a duplicate. */
  field?: string;
}

const ATTRIBUTE_PREFIXES = new Set(['attribute', 'attributes', 'attr']);
const TAG_PREFIXES = new Set(['tag', 'tags']);
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];

/** Compiles a registry filter over `attributes` and `tags.<key>` into a predicate; absent keys never match. */
function compileRegistryFilter<T extends SearchableRegistryItem>(filter: string | undefined | null, attributes: Readonly<Record<string, AttributeSpec<T>>>, what: string): (item: T) => boolean {
  const text = filter ?? '';
  const context = { text, field: 'filter' };
  const tests = parseFilterClauses(text).map((clause): ((item: T) => boolean) => {
    const name = clause.prefix === undefined ? clause.key : `${clause.prefix}.${clause.key}`;
    if (clause.prefix !== undefined && TAG_PREFIXES.has(clause.prefix)) {
      if (!STRING_COMPARATORS.includes(clause.comparator)) clauseError(context, clause.comparatorColumn, `${clause.comparator} cannot compare the tag "${name}"`, `Use one of ${STRING_COMPARATORS.join(' ')}.`);
      if (clause.value.kind !== 'string') clauseError(context, clause.valueColumn, `the tag "${name}" needs a quoted string value`, `Quote the value: ${name} ${clause.comparator} 'value'.`);
      const test = compileStringComparison(clause.comparator, clause.value.value);
      const key = clause.key;
      return (item) => {
        const value = findValue(item.tags, key);
        return value !== undefined && test(value);
      };
    }
    if (clause.prefix !== undefined && !ATTRIBUTE_PREFIXES.has(clause.prefix)) {
      clauseError(context, clause.column, `"${clause.prefix}" is not an entity type for ${what}`, `Filter on ${Object.keys(attributes).join(', ')} or tags.<key>.`);
    }
    const spec = Object.hasOwn(attributes, clause.key) ? attributes[clause.key]! : clauseError(context, clause.column, `"${clause.key}" is not a searchable attribute of ${what}`, `Valid attributes: ${Object.keys(attributes).join(', ')}; for a tag write tags.${clause.key}.`);
    const allowed = spec.kind === 'number' ? NUMERIC_COMPARATORS : spec.allowsList ? [...STRING_COMPARATORS, 'IN', 'NOT IN'] : STRING_COMPARATORS;
    if (!allowed.includes(clause.comparator)) clauseError(context, clause.comparatorColumn, `${clause.comparator} cannot compare "${name}"`, `Use one of ${allowed.join(' ')}.`);
    const read = spec.read;
    if (spec.kind === 'number') {
      // MLflow's SQL store reads the value with Python's int(): a whole number, quoted or not ('2' is 2).
      const whole = clause.value.kind === 'number' ? clause.value.raw : clause.value.kind === 'string' ? clause.value.value : undefined;
      if (whole === undefined || !/^\s*[+-]?\d+\s*$/.test(whole)) {
        clauseError(context, clause.valueColumn, `"${name}" needs a whole number, found ${whole === undefined ? 'no number' : JSON.stringify(whole)}`, `Write a whole number, quoted or not: ${name} ${clause.comparator} 1.`);
      }
      const test = compileNumberComparison(clause.comparator, Number.parseInt(whole.trim(), 10));
      return (item) => {
        const value = read(item);
        return typeof value === 'number' && test(value);
      };
    }
    if (clause.value.kind === 'number') clauseError(context, clause.valueColumn, `"${name}" needs a quoted string value, found ${clause.value.raw}`, `Quote the value: ${name} ${clause.comparator} '${clause.value.raw}'.`);
    if (clause.value.kind === 'none') clauseError(context, clause.comparatorColumn, `${clause.comparator} cannot compare "${name}"`, `Use one of ${allowed.join(' ')}.`);
    const test = compileStringComparison(clause.comparator, clause.value.value);
    return (item) => {
      const value = read(item);
      return typeof value === 'string' && test(value);
    };
  });
  return (item) => tests.every((test) => test(item));
}

/** Compiles registry order_by entries into a comparison ending in `tiebreaks` for fields not already ordered. */
function compileRegistryOrderBy<T>(
  orderBy: readonly string[],
  keys: Readonly<Record<string, AttributeSpec<T>>>,
  tiebreaks: readonly { field: string; compare: (a: T, b: T) => number }[],
  what: string,
): (a: T, b: T) => number {
  const seen = new Set<string>();
  const comparisons = orderBy.map((entry, index) => {
    const term = parseOrderByTerm(entry, `orderBy[${index}]`);
    const context = { text: entry, field: term.field };
    if (term.prefix !== undefined && !ATTRIBUTE_PREFIXES.has(term.prefix)) {
      clauseError(context, term.column, `${what} cannot be ordered by "${term.prefix}.${term.key}"`, `Order by one of ${Object.keys(keys).join(', ')}.`);
    }
    if (!Object.hasOwn(keys, term.key)) clauseError(context, term.column, `"${term.key}" is not an order key of ${what}`, `Order by one of ${Object.keys(keys).join(', ')}.`);
    const spec = keys[term.key]!;
    const field = spec.field ?? term.key;
    if (seen.has(field)) clauseError(context, term.column, `orderBy names "${field}" twice`, 'Give each field at most once.');
    seen.add(field);
    return compareByValue(spec.read, term.ascending);
  });
  for (const tiebreak of tiebreaks) if (!seen.has(tiebreak.field)) comparisons.push(tiebreak.compare);
  return chainComparisons(comparisons);
}

const name = <T extends SearchableRegistryItem>(): AttributeSpec<T> => ({ kind: 'string', read: (item) => item.name });
/** `name` in a filter: it also takes `IN (…)` and `NOT IN (…)`, as in MLflow's SQL store. */
const listableName = <T extends SearchableRegistryItem>(): AttributeSpec<T> => ({ ...name<T>(), allowsList: true });

/** Compiles a registered-model filter: `name` (= != LIKE ILIKE IN NOT IN) and `tags.<key>`. */
export function compileRegisteredModelFilter<T extends SearchableRegistryItem>(filter: string | undefined | null): (item: T) => boolean {
  return compileRegistryFilter<T>(filter, { name: listableName<T>() }, 'registered models');
}

/**
 * Compiles a registered-model order: keys `name`, `creation_timestamp`, `last_updated_timestamp` (and its
 * alias `timestamp`); a field named twice is INVALID_PARAMETER_VALUE; ties break by name ASC.
 */
export function compileRegisteredModelOrderBy<T extends SearchableRegistryItem>(orderBy: readonly string[] | undefined | null): (a: T, b: T) => number {
  const lastUpdated: AttributeSpec<T> = { kind: 'number', read: (item) => item.lastUpdatedTimestamp, field: 'last_updated_timestamp' };
  return compileRegistryOrderBy<T>(
    orderBy ?? [],
    {
      name: name<T>(),
      creation_timestamp: { kind: 'number', read: (item) => item.creationTimestamp },
      last_updated_timestamp: lastUpdated,
      timestamp: lastUpdated,
    },
    [{ field: 'name', compare: compareByValue<T>((item) => item.name, true) }],
    'registered models',
  );
}

/** What version search reads besides the common fields. */
export interface SearchableVersion extends SearchableRegistryItem {
  version: number;
  source: string;
  runId: string;
}

/**
 * Compiles a model-version filter: `name` and `run_id` (also IN / NOT IN), `source_path`, `version_number` (a
 * whole number, quoted or not, as MLflow reads it) and `tags.<key>`.
 */
export function compileModelVersionFilter<T extends SearchableVersion>(filter: string | undefined | null): (item: T) => boolean {
  return compileRegistryFilter<T>(
    filter,
    {
      name: listableName<T>(),
      // A version made without a run has run id '' on MLflow's server too, and filters compare it as ''.
      run_id: { kind: 'string', read: (item) => item.runId, allowsList: true },
      source_path: { kind: 'string', read: (item) => item.source },
      version_number: { kind: 'number', read: (item) => item.version },
    },
    'model versions',
  );
}

/**
 * Compiles a model-version order: keys `name`, `version_number`, `creation_timestamp`,
 * `last_updated_timestamp`; by default `last_updated_timestamp DESC`; ties break by name ASC, then version DESC.
 */
export function compileModelVersionOrderBy<T extends SearchableVersion>(orderBy: readonly string[] | undefined | null): (a: T, b: T) => number {
  return compileRegistryOrderBy<T>(
    orderBy && orderBy.length > 0 ? orderBy : ['last_updated_timestamp DESC'],
    {
      name: name<T>(),
      version_number: { kind: 'number', read: (item) => item.version },
      creation_timestamp: { kind: 'number', read: (item) => item.creationTimestamp },
      last_updated_timestamp: { kind: 'number', read: (item) => item.lastUpdatedTimestamp },
    },
    [
      { field: 'name', compare: compareByValue<T>((item) => item.name, true) },
      { field: 'version_number', compare: compareByValue<T>((item) => item.version, false) },
    ],
    'model versions',
  );
}
