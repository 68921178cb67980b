import type { TrackingStore } from '../tracking/index.ts';
import { describeChecks, runChecks, type Check, type CheckResult, type TestFramework } from './check.ts';
import { experimentChecks } from './tracking-experiment-checks.ts';
import { loggingChecks } from './tracking-logging-checks.ts';
import { runChecks as runLifecycleChecks } from './tracking-run-checks.ts';
import { searchChecks } from './tracking-search-checks.ts';

/** Every behaviour a tracking store must show, in order: experiments, runs, logging, search. */
export const trackingStoreChecks: readonly Check<TrackingStore>[] = [...experimentChecks, ...runLifecycleChecks, ...loggingChecks, ...searchChecks];

/**
 * Registers the tracking-store contract as tests of the given framework (Vitest's or Playwright's
 * `describe`/`it`); `makeStore` must return a fresh, empty store on each call.
 */
export function describeTrackingStoreConformance(makeStore: () => Promise<TrackingStore>, framework: TestFramework): void {
  describeChecks('tracking store conformance', trackingStoreChecks, makeStore, framework);
}

/** Runs the tracking-store contract without a test framework (in a page, say) and reports each check. */
export function runTrackingStoreConformance(makeStore: () => Promise<TrackingStore>): Promise<CheckResult[]> {
  return runChecks(trackingStoreChecks, makeStore);
}
