// Differential mode: one script of store operations run against two stores of one kind (say IndexedDB and a real
// MLflow server, as tracking stores or model registries), each step's answer (or error code) compared after IDs
// and clock-dependent fields are made neutral.
import type { TrackingStore } from '../tracking/index.ts';
import { ConformanceFailure, isDeepEqual } from './check.ts';

/** What a step may keep for later steps: the IDs it created, by a name that stands in for them in comparisons. */
export interface DifferentialContext {
  /** Keeps `id` under `name`; where the ID appears in any answer it reads as `<name>`. Returns the ID. */
  keep(name: string, id: string): string;
  /** The ID kept under `name`; a step that needs a missing one fails. */
  id(name: string): string;
}

/** One operation of a script: its answer is what the two stores must agree on (a tracking store unless said otherwise). */
export interface DifferentialStep<Store = TrackingStore> {
  name: string;
  run(store: Store, context: DifferentialContext): Promise<unknown>;
}

/** How one step went on each store: `{ value }` or `{ error: code }`, after neutralising. */
export interface DifferentialOutcome {
  name: string;
  agreed: boolean;
  a: unknown;
  b: unknown;
}

/** Fields whose values depend on the store's location or clock, left out of comparisons. */
const VOLATILE = new Set(['artifactUri', 'artifactLocation', 'creationTime', 'lastUpdateTime', 'creationTimestamp', 'lastUpdatedTimestamp', 'nextPageToken']);

function neutral(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === 'string') return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => neutral(item, names));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (VOLATILE.has(key)) out[key] = item === null || item === undefined ? item : '<volatile>';
      else out[key] = neutral(item, names);
    }
    return out;
  }
  return value;
}

async function runScript<Store>(steps: readonly DifferentialStep<Store>[], store: Store): Promise<unknown[]> {
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  const context: DifferentialContext = {
    keep(name, id) {
      ids.set(name, id);
      names.set(id, `<${name}>`);
      return id;
    },
    id(name) {
      const found = ids.get(name);
      if (found === undefined) throw new ConformanceFailure(`no ID was kept under "${name}"`);
      return found;
    },
  };
  const outcomes: unknown[] = [];
  for (const step of steps) {
    try {
      outcomes.push({ value: await step.run(store, context) });
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      outcomes.push({ error: typeof code === 'string' ? code : String(error) });
    }
  }
  return outcomes.map((outcome) => neutral(outcome, names));
}

/**
 * Runs the same script against a fresh store of each kind, one step at a time, and reports for every step whether
 * the two answered alike (NaN equals NaN; IDs, artifact locations, creation and update times and page tokens are
 * made neutral; errors compare by code). Never throws for a disagreement: the report lists it.
 */
export async function runDifferential<Store = TrackingStore>(
  steps: readonly DifferentialStep<Store>[],
  makeA: () => Promise<Store>,
  makeB: () => Promise<Store>,
): Promise<DifferentialOutcome[]> {
  const a = await runScript(steps, await makeA());
  const b = await runScript(steps, await makeB());
  return steps.map((step, index) => ({ name: step.name, agreed: isDeepEqual(a[index], b[index]), a: a[index], b: b[index] }));
}

/** Fails with every step the two stores answered differently, each with both answers. */
export function assertAgreement(outcomes: readonly DifferentialOutcome[], labels: [string, string] = ['a', 'b']): void {
  const show = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? String(item) : item));
  const differing = outcomes.filter((outcome) => !outcome.agreed);
  if (differing.length) {
    throw new ConformanceFailure(
      `${differing.length} of ${outcomes.length} steps differ:\n${differing.map((outcome) => `  ${outcome.name}\n    ${labels[0]}: ${show(outcome.a)}\n    ${labels[1]}: ${show(outcome.b)}`).join('\n')}`,
    );
  }
}
