import { describe, expect, it } from 'vitest';
import { PlugboardError } from '../errors/index.ts';
import type { MetricContext, ModelProvenance } from '../sdk/index.ts';
import { startMetric } from './metric-run.ts';

const MODEL: ModelProvenance = {
  plugin: 'gpt2',
  model_name: 'https://models.example/tiny-gpt2/',
  folder: 'https://models.example/tiny-gpt2/',
  dtype: 'fp32',
  files: [{ file: 'onnx/model.onnx', url: 'https://models.example/tiny-gpt2/onnx/model.onnx', sha384: `sha384-${'A'.repeat(64)}`, size: 3 }],
};

/** An accumulator counting rows whose finalize records `model` through its context (when it is given one). */
function countingMetric(model: unknown) {
  return {
    init: () => 0,
    update: (state: number, batch: { predictions: readonly unknown[] }) => state + batch.predictions.length,
    merge: (a: number, b: number) => a + b,
    finalize: (state: number, _options?: unknown, context?: MetricContext) => {
      context?.recordModel(model as ModelProvenance);
      context?.recordModel(model as ModelProvenance);
      return { rows: state };
    },
  };
}

describe('startMetric', () => {
  it('hands finalize a context whose recordModel keeps the models out of the result, once each', async () => {
    const run = startMetric('counting', countingMetric(MODEL), {});
    run.update(['a', 'b'], undefined);
    expect(run.models()).toEqual([]);
    expect(await run.finish()).toEqual({ rows: 2 });
    expect(run.models()).toEqual([MODEL]);
  });

  it('hands a function metric the same context after its options', async () => {
    const seen: unknown[] = [];
    const metric = (predictions: readonly unknown[], _references: readonly unknown[], options?: unknown, context?: MetricContext) => {
      seen.push(options);
      context!.recordModel(MODEL);
      return predictions.length;
    };
    const run = startMetric('calling', metric, { scale: 2 });
    run.update(['a'], ['a']);
    expect(await run.finish()).toBe(1);
    expect(seen).toEqual([{ scale: 2 }]);
    expect(run.models()).toEqual([MODEL]);
  });

  it('keeps working for a metric that takes no context', async () => {
    const metric = { init: () => 0, update: (state: number) => state + 1, merge: (a: number, b: number) => a + b, finalize: (state: number) => state };
    const run = startMetric('plain', metric, undefined);
    run.update(['a'], undefined);
    expect(await run.finish()).toBe(1);
    expect(run.models()).toEqual([]);
  });

  it('refuses a recorded model without the provenance shape with METRIC_MODEL_RECORD naming the metric and every bad field', async () => {
    const bad = { ...MODEL, folder: 7, files: [{ ...MODEL.files[0], sha384: 'abc', size: -1 }], weights: 'tiny' };
    const run = startMetric('careless', countingMetric(bad), {});
    run.update(['a'], undefined);
    const error = await run.finish().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PlugboardError);
    const fields = (error as PlugboardError).problems.map(({ code, group, plugin, field }) => ({ code, group, plugin, field }));
    expect(fields).toEqual([
      { code: 'METRIC_MODEL_RECORD', group: 'codex_ml.metrics', plugin: 'careless', field: 'model.folder' },
      { code: 'METRIC_MODEL_RECORD', group: 'codex_ml.metrics', plugin: 'careless', field: 'model.files[0].sha384' },
      { code: 'METRIC_MODEL_RECORD', group: 'codex_ml.metrics', plugin: 'careless', field: 'model.files[0].size' },
      { code: 'METRIC_MODEL_RECORD', group: 'codex_ml.metrics', plugin: 'careless', field: 'model' },
    ]);
    const problems = (error as PlugboardError).problems.map((problem) => problem.problem);
    expect(problems[0]).toContain('expected string, received number');
    expect(problems[1]).toContain('"sha384-" and the base64 of a SHA-384 digest');
    expect(problems[2]).toContain('expected a byte count, 0 or more');
    expect(problems[3]).toContain('unknown key "weights"');
    expect(run.models()).toEqual([]);
  });
});
