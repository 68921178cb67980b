import type { z } from 'zod';

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

/**
 * Flattens zod issues into one description per problem. A union whose branches all failed on the
 * value's type becomes one "expected A or B, received C"; a union where one branch matched the type
 * reports that branch's own problems, which are the ones a person can act on.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], base: PropertyKey[] = []): IssueDescription[] {
  const out: IssueDescription[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && 'errors' in issue && Array.isArray(issue.errors)) {
      const branches = issue.errors as z.core.$ZodIssue[][];
      const typeOnly = (branch: z.core.$ZodIssue[]) =>
        branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
      const matched = branches.filter((branch) => !typeOnly(branch));
      if (matched.length > 0) {
        out.push(...describeIssues(matched[0]!, path));
      } else {
        const expected = branches.map((branch) => (branch[0] as { expected?: string }).expected ?? 'value');
        const received = /received (\w+)/.exec(branches[0]?.[0]?.message ?? '')?.[1] ?? 'something else';
        out.push({ path, message: `expected ${expected.join(' or ')}, received ${received}` });
      }
    } else if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      out.push({ path, message: `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}` });
    } else {
      out.push({ path, message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return out;
}
