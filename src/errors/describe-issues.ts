import type { $ZodIssue } from 'zod/v4/core';
import { describeValue } from './plugboard-error.ts';

/** One schema problem, flattened: where it is and what was expected there. */
export interface IssueDescription {
  /** Path segments from the root of the validated value. */
  path: PropertyKey[];
  message: string;
}

/** Prints a path the way zod's own pretty-printer does: `groups["codex_ml.metrics"].bleu.url`, `a[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

const GENERIC = 'Invalid input';

/**
 * Flattens zod issues into one description per problem, with messages built here (the schemas use
 * zod/mini, which carries no message catalogue): "expected string, received number". A union whose
 * branches all failed on the value's type becomes "expected A or B, received C"; a union where one branch
 * matched the type reports that branch's own problems, which are the ones a person can act on.
 */
export function describeIssues(issues: readonly $ZodIssue[], input: unknown, base: PropertyKey[] = []): IssueDescription[] {
  const out: IssueDescription[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const value = valueAt(input, issue.path);
    const custom = issue.message && issue.message !== GENERIC ? issue.message : undefined;
    switch (issue.code) {
      case 'invalid_union': {
        const branches = issue.errors;
        const typeOnly = (branch: $ZodIssue[]) => branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
        const matched = branches.find((branch) => !typeOnly(branch));
        if (matched) out.push(...describeIssues(matched, value, path));
        else {
          const expected = branches.map((branch) => (branch[0] as { expected?: string }).expected ?? 'value');
          out.push({ path, message: custom ?? `expected ${expected.join(' or ')}, received ${describeValue(value)}` });
        }
        break;
      }
      case 'invalid_key':
        out.push({ path, message: `the key ${JSON.stringify(String(path.at(-1)))} is not allowed: ${describeIssues(issue.issues, path.at(-1))[0]?.message ?? 'invalid'}` });
        break;
      case 'invalid_element':
        out.push(...describeIssues(issue.issues, value, path));
        break;
      case 'unrecognized_keys':
        out.push({ path, message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` });
        break;
      case 'invalid_type':
        out.push({ path, message: custom ?? `expected ${issue.expected}, received ${describeValue(value)}` });
        break;
      case 'invalid_value':
        out.push({ path, message: custom ?? `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, received ${JSON.stringify(value) ?? describeValue(value)}` });
        break;
      case 'too_small':
        out.push({ path, message: custom ?? (issue.origin === 'string' ? 'must not be empty' : `must have at least ${issue.minimum} items`) });
        break;
      default:
        out.push({ path, message: custom ?? `invalid value ${JSON.stringify(value) ?? describeValue(value)}` });
    }
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' && typeof value !== 'function') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
