// Small builders of runs in MLflow's REST shape, for the search tests.
import type { SearchableRun } from './searchable.ts';

/** What a test says about a run; everything else gets a plain default. */
export interface RunSpec {
  id: string;
  name?: string;
  status?: string;
  start?: number;
  end?: number | null;
  user?: string;
  artifactUri?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

/** Builds a run from a spec. */
export function makeRun(spec: RunSpec): SearchableRun {
  return {
    info: {
      runId: spec.id,
      ...(spec.name === undefined ? {} : { runName: spec.name }),
      experimentId: '0',
      status: spec.status ?? 'FINISHED',
      startTime: spec.start ?? 1000,
      endTime: spec.end === undefined ? 2000 : spec.end,
      lifecycleStage: 'active',
      artifactUri: spec.artifactUri ?? `idb://plugboard/artifacts/0/${spec.id}/artifacts`,
      ...(spec.user === undefined ? {} : { userId: spec.user }),
    },
    data: {
      metrics: Object.entries(spec.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
  };
}

/** Returns the ids of the runs a predicate keeps, in input order. */
export function idsMatching(runs: readonly SearchableRun[], test: (run: SearchableRun) => boolean): string[] {
  return runs.filter(test).map((run) => run.info.runId);
}
