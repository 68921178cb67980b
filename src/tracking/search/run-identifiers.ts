import { clauseError, findValue, type ClauseErrorContext } from '../../store-kit/index.ts';
import type { SearchableRun } from './searchable.ts';

/** What a run identifier refers to. */
export type RunEntity = 'metric' | 'param' | 'tag' | 'attribute';

/** A resolved identifier: which part of a run it reads and whether the value is a number or a string. */
export interface RunField {
  entity: RunEntity;
  key: string;
  valueKind: 'number' | 'string';
  /** Reads the value from a run; undefined (or null) when the run lacks it. */
  read: (run: SearchableRun) => number | string | null | undefined;
}

const ENTITY_PREFIXES: Readonly<Record<string, RunEntity | 'dataset'>> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

type AttributeReader = (run: SearchableRun) => number | string | null | undefined;

const STRING_ATTRIBUTES: Readonly<Record<string, AttributeReader>> = {
  run_id: (run) => run.info.runId,
  run_name: (run) => run.info.runName,
  user_id: (run) => run.info.userId,
  status: (run) => run.info.status,
  artifact_uri: (run) => run.info.artifactUri,
};
const NUMERIC_ATTRIBUTES: Readonly<Record<string, AttributeReader>> = {
  start_time: (run) => run.info.startTime,
  end_time: (run) => run.info.endTime,
};
const FILTER_ALIASES: Readonly<Record<string, string>> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
};
const ORDER_BY_ALIASES: Readonly<Record<string, string>> = { created: 'start_time', Created: 'start_time' };


/**
 * Resolves `<prefix>.<key>` (or a bare key, meaning an attribute) to the run field it reads. Throws a
 * SearchError at `column` for an unknown prefix, an unknown attribute or a dataset identifier.
 */
export function resolveRunField(
  prefix: string | undefined,
  key: string,
  context: ClauseErrorContext,
  column: number,
  purpose: 'filter' | 'orderBy',
): RunField {
  const entity = prefix === undefined ? 'attribute' : Object.hasOwn(ENTITY_PREFIXES, prefix) ? ENTITY_PREFIXES[prefix] : undefined;
  if (entity === undefined) {
    clauseError(context, column, `"${prefix}" is not an entity type`, `Use metrics.<key>, params.<key>, tags.<key> or attributes.<key> (aliases: ${Object.keys(ENTITY_PREFIXES).filter((name) => !name.startsWith('dataset')).join(', ')}).`);
  }
  if (entity === 'dataset') {
    clauseError(context, column, `dataset identifiers ("${prefix}.${key}") are not supported`, 'Filter on metrics, params, tags or attributes; runs here carry no dataset inputs.');
  }
  if (entity === 'metric') {
    return { entity, key, valueKind: 'number', read: (run) => findValue(run.data.metrics, key) };
  }
  if (entity === 'param') return { entity, key, valueKind: 'string', read: (run) => findValue(run.data.params, key) };
  if (entity === 'tag') return { entity, key, valueKind: 'string', read: (run) => findValue(run.data.tags, key) };
  const aliases = purpose === 'filter' ? FILTER_ALIASES : ORDER_BY_ALIASES;
  const name = Object.hasOwn(aliases, key) ? aliases[key]! : key;
  if (Object.hasOwn(STRING_ATTRIBUTES, name)) return { entity, key: name, valueKind: 'string', read: STRING_ATTRIBUTES[name]! };
  if (Object.hasOwn(NUMERIC_ATTRIBUTES, name)) return { entity, key: name, valueKind: 'number', read: NUMERIC_ATTRIBUTES[name]! };
  const valid = [...Object.keys(STRING_ATTRIBUTES), ...Object.keys(NUMERIC_ATTRIBUTES), ...Object.keys(aliases)];
  return clauseError(context, column, `"${key}" is not a run attribute`, `Valid attributes: ${valid.join(', ')}; for a metric, param or tag write metrics.${key}, params.${key} or tags.${key}.`);
}
