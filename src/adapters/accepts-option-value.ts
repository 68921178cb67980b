// Kept apart from the zod schemas so a metric plugin can check its option values without bundling zod.
import type { MetricOption } from './metric-options.ts';

/** Whether `value` (not null) is allowed for `option`: its kind, its choices and its bounds. */
export function acceptsValue(option: Pick<MetricOption, 'type' | 'choices' | 'min' | 'max'>, value: unknown): boolean {
  switch (option.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (option.type === 'number' || Number.isInteger(value)) &&
        value >= (option.min ?? Number.NEGATIVE_INFINITY) &&
        value <= (option.max ?? Number.POSITIVE_INFINITY)
      );
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && (option.choices ?? []).includes(value);
    case 'string-list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'label':
      return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  }
}
