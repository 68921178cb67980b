// Named conformance checks and the assertions they use; no test framework needed, so a plain browser page
// can run them as well as Vitest or Playwright.

/** One behaviour of a contract, checked against a fresh subject (a store made for this check alone). */
export interface Check<Subject> {
  /** The rule, written as a sentence (`keeps a param immutable once logged`). */
  name: string;
  run(subject: Subject): Promise<void>;
}

/** The outcome of one check run by `runChecks`. */
export interface CheckResult {
  name: string;
  passed: boolean;
  /** The failure message, when the check failed. */
  error?: string;
}

/** A failed expectation inside a check: the message says what was expected and what came instead. */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
}

/** Runs every check against its own fresh subject, one after another; never throws, reports each outcome. */
export async function runChecks<Subject>(checks: readonly Check<Subject>[], makeSubject: () => Promise<Subject>): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      await check.run(await makeSubject());
      results.push({ name: check.name, passed: true });
    } catch (error) {
      results.push({ name: check.name, passed: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return results;
}

/** The two functions of a test framework the adapter needs (Vitest's and Playwright's both fit). */
export interface TestFramework {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** Registers each check as one test of `framework` under `title`, each with a fresh subject. */
export function describeChecks<Subject>(
  title: string,
  checks: readonly Check<Subject>[],
  makeSubject: () => Promise<Subject>,
  framework: TestFramework,
): void {
  framework.describe(title, () => {
    for (const check of checks) framework.it(check.name, async () => check.run(await makeSubject()));
  });
}

function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? String(item) : item));
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}

/** Structural equality for JSON-like data, where NaN equals NaN. */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const bKeys = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => isDeepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Fails unless `actual` is structurally equal to `expected` (NaN equals NaN). */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepEqual(actual, expected)) throw new ConformanceFailure(`${what}: expected ${show(expected)}, received ${show(actual)}`);
}

/** Fails unless `condition` holds. */
export function assertTrue(condition: boolean, what: string): void {
  if (!condition) throw new ConformanceFailure(what);
}

/**
 * Awaits `promise` and fails unless it rejects with an error whose `code` is `code` (or one of several, where
 * MLflow's own stores differ) and whose message contains `messagePart`, when given. Resolves with the error.
 */
export async function assertRejects(promise: Promise<unknown>, code: string | readonly string[], what: string, messagePart?: string): Promise<Error & { code?: string }> {
  const codes: readonly string[] = typeof code === 'string' ? [code] : code;
  let settled: unknown;
  try {
    settled = await promise;
  } catch (error) {
    const coded = error as Error & { code?: string };
    if (!codes.includes(coded?.code as string)) {
      throw new ConformanceFailure(`${what}: expected an error with code ${codes.join(' or ')}, received ${coded?.code ?? 'no code'} (${String(coded?.message ?? error)})`);
    }
    if (messagePart !== undefined && !String(coded.message).includes(messagePart)) {
      throw new ConformanceFailure(`${what}: expected the message to contain ${show(messagePart)}, received ${show(coded.message)}`);
    }
    return coded;
  }
  throw new ConformanceFailure(`${what}: expected a rejection with code ${codes.join(' or ')}, but it resolved with ${show(settled)}`);
}

/** Turns MLflow's `[{ key, value }]` list into a plain record, for comparisons that ignore order. */
export function toRecord<V>(list: readonly { key: string; value: V }[]): Record<string, V> {
  const record: Record<string, V> = {};
  for (const { key, value } of list) Object.defineProperty(record, key, { value, enumerable: true, configurable: true, writable: true });
  return record;
}
