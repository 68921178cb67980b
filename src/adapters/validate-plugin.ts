import type * as z from 'zod/mini';
import { PlugboardError, describeIssues, describeValue, formatPath } from '../errors/index.ts';
import { FunctionPropertiesSchema, type Adapter } from './adapter.ts';
import { adapterFor } from './stable-groups.ts';

/** Where a plugin came from, for the errors. */
export interface PluginOrigin {
  group: string;
  name: string;
  url?: string;
  /** The export name, shown in the message. */
  exportName?: string;
}

/**
 * Checks a plugin against its group's v1 contract. Returns every problem found (empty when it passes);
 * a custom group accepts anything but `undefined`.
 */
export function validatePlugin(value: unknown, origin: PluginOrigin, options: { requireApi?: string } = {}): PlugboardError[] {
  const adapter = adapterFor(origin.group);
  const problem = (text: string, field?: string, hint?: string) =>
    new PlugboardError({
      code: 'INVALID_PLUGIN',
      stage: 'validate',
      group: origin.group,
      plugin: origin.name,
      problem: `${origin.exportName ? `export "${origin.exportName}": ` : ''}${text}`,
      hint:
        hint ??
        (adapter
          ? `A ${origin.group} plugin is ${adapter.expected}; the SDK's define* helpers check this at compile time.`
          : 'Export the plugin under the name given after # in the manifest entry.'),
      ...(origin.url ? { url: origin.url } : {}),
      ...(field ? { field } : {}),
    });

  if (value === undefined) {
    return [problem('the module exports nothing under this name', undefined, 'Export the plugin under the name given after # in the manifest entry.')];
  }
  const problems: PlugboardError[] = [];
  if (adapter) problems.push(...checkShape(adapter, value, problem));
  if (options.requireApi !== undefined && problems.length === 0) {
    const api = (value as { api?: unknown } | null)?.api;
    if (api !== options.requireApi) {
      problems.push(
        problem(
          `requires api "${options.requireApi}", the plugin declares ${api === undefined ? 'none' : JSON.stringify(api)}`,
          'api',
          `Stamp the plugin with api: "${options.requireApi}" (the SDK's define* helpers do).`,
        ),
      );
    }
  }
  return problems;
}

/** Checks what a factory plugin returned against its group's instance contract. */
export function validateInstance(value: unknown, origin: PluginOrigin): PlugboardError[] {
  const adapter = adapterFor(origin.group);
  if (!adapter?.instance) return [];
  const result = adapter.instance.schema.safeParse(value);
  if (result.success) return [];
  const kind = describeValue(value);
  return describeIssues(result.error.issues, value).map(
    (issue) =>
      new PlugboardError({
        code: 'INVALID_INSTANCE',
        stage: 'validate',
        group: origin.group,
        plugin: origin.name,
        problem:
          issue.path.length === 0
            ? `the factory returned ${kind}, expected ${adapter.instance!.expected}`
            : `the factory returned ${adapter.instance!.expected} whose "${formatPath(issue.path)}" is wrong: ${issue.message}`,
        field: formatPath(issue.path),
        hint: `A ${origin.group} factory must return ${adapter.instance!.expected}.`,
        ...(origin.url ? { url: origin.url } : {}),
      }),
  );
}

function checkShape(
  adapter: Adapter,
  value: unknown,
  problem: (text: string, field?: string) => PlugboardError,
): PlugboardError[] {
  const kind = describeValue(value);
  if (kind === 'function' && adapter.acceptsFunction) {
    return issuesOf(adapter.functionSchema ?? FunctionPropertiesSchema, { ...(value as object), api: (value as { api?: unknown }).api }, problem);
  }
  if (kind === 'object' && adapter.objectSchema) return issuesOf(adapter.objectSchema, value, problem);
  return [problem(`expected ${adapter.expected}, received ${kind}`)];
}

function issuesOf(
  schema: z.ZodMiniType,
  value: unknown,
  problem: (text: string, field?: string) => PlugboardError,
): PlugboardError[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return describeIssues(result.error.issues, value).map((issue) =>
    problem(`"${formatPath(issue.path)}": ${issue.message}`, formatPath(issue.path)),
  );
}
