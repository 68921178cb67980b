// Checks a trainer config against its zod schema; every problem is reported, the first one's field named.
import * as z from 'zod/mini';
import { describeIssues, formatPath } from '../../errors/index.ts';
import { trainerError } from './trainer-error.ts';

/** Parses `config` (undefined counts as `{}`) with `schema`; throws TRAINER_BAD_CONFIG naming the field and listing the valid ones. */
export function readConfig<S extends z.ZodMiniObject>(plugin: string, schema: S, config: unknown): z.infer<S> {
  const input = config ?? {};
  const parsed = z.safeParse(schema, input);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues, input);
  const first = problems[0]!;
  const unknown = parsed.error.issues.find((issue) => issue.code === 'unrecognized_keys');
  return (() => {
    throw trainerError({
      code: 'TRAINER_BAD_CONFIG',
      plugin,
      field: unknown && unknown.code === 'unrecognized_keys' ? unknown.keys[0]! : formatPath(first.path),
      problem: `the config is invalid: ${problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`).join('; ')}`,
      hint: `Valid fields: ${Object.keys(schema.shape).join(', ')}.`,
    });
  })();
}
