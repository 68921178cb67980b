// The conformance kit (`plugboard/testing`): store-agnostic contract checks for store authors; runtime code never imports it.
//
// Extending the kit: a contract is a list of `Check<Subject>` in its own file here (for example
// `artifact-repository-checks.ts`, `model-registry-checks.ts`), wrapped by a `describe…Conformance` and a
// `run…Conformance` built on `describeChecks` and `runChecks`, and exported below.
export { runChecks, describeChecks, assertEqual, assertTrue, assertRejects, isDeepEqual, toRecord, ConformanceFailure } from './check.ts';
export type { Check, CheckResult, TestFramework } from './check.ts';
export { trackingStoreChecks, describeTrackingStoreConformance, runTrackingStoreConformance } from './tracking-store-checks.ts';
export { artifactRepositoryChecks, describeArtifactRepositoryConformance, runArtifactRepositoryConformance } from './artifact-repository-checks.ts';
export { modelRegistryChecks, describeModelRegistryConformance, runModelRegistryConformance } from './model-registry-checks.ts';
export { runDifferential, assertAgreement } from './differential.ts';
export type { DifferentialStep, DifferentialOutcome, DifferentialContext } from './differential.ts';
export { trackingDifferentialScript } from './tracking-differential-script.ts';
export { registryDifferentialScript } from './registry-differential-script.ts';
