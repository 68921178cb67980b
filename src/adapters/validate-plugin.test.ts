import { describe, expect, it } from 'vitest';
import { STABLE_ADAPTERS, validateInstance, validatePlugin } from './index.ts';

const origin = (group: string) => ({ group, name: 'p', url: 'https://cdn.example/p.js', exportName: 'p' });
const fn = () => undefined;
const methods = (...names: string[]) => Object.fromEntries(names.map((name) => [name, fn]));

const GOOD: Record<string, unknown> = {
  'codex_ml.metrics': methods('init', 'update', 'merge', 'finalize'),
  'codex_ml.data_loaders': fn,
  'codex_ml.tokenizers': fn,
  'codex_ml.models': fn,
  'codex_ml.trainers': fn,
  'codex_ml.plugins': methods('activate'),
  'mlflow.tracking_store': fn,
  'mlflow.artifact_repository': fn,
  'mlflow.run_context_provider': methods('inContext', 'tags'),
  'mlflow.request_header_provider': methods('inContext', 'requestHeaders'),
  'mlflow.model_registry_store': fn,
};

describe('validatePlugin', () => {
  it('has a contract for each of the eleven stable groups', () => {
    expect(Object.keys(STABLE_ADAPTERS).sort()).toEqual(Object.keys(GOOD).sort());
  });

  for (const [group, plugin] of Object.entries(GOOD)) {
    it(`accepts a well-formed ${group} plugin and refuses a number, naming what was expected`, () => {
      expect(validatePlugin(plugin, origin(group))).toEqual([]);
      const [problem] = validatePlugin(7, origin(group));
      expect(problem).toMatchObject({ code: 'INVALID_PLUGIN', stage: 'validate', group, plugin: 'p', url: 'https://cdn.example/p.js' });
      expect(problem!.problem).toBe(`export "p": expected ${STABLE_ADAPTERS[group]!.expected}, received number`);
    });
  }

  it('accepts a metric function and names each missing accumulator method', () => {
    expect(validatePlugin((p: unknown[]) => p.length, origin('codex_ml.metrics'))).toEqual([]);
    const problems = validatePlugin({ init: fn, update: fn }, origin('codex_ml.metrics'));
    expect(problems.map((p) => p.field)).toEqual(['merge', 'finalize']);
  });

  it('refuses a plugin that declares another API version, object or function alike', () => {
    expect(validatePlugin(Object.assign(fn.bind(null), { api: 'v2' }), origin('codex_ml.trainers'))[0]!.problem).toContain('expected "v1"');
    expect(validatePlugin({ ...methods('activate'), api: 'v0' }, origin('codex_ml.plugins'))[0]!.field).toBe('api');
  });

  it('refuses a plugin without the required API version', () => {
    const [problem] = validatePlugin(fn, origin('codex_ml.trainers'), { requireApi: 'v1' });
    expect(problem!.problem).toContain('requires api "v1", the plugin declares none');
  });

  it('accepts anything but undefined in a custom group', () => {
    expect(validatePlugin(0, origin('my-plugins'))).toEqual([]);
    expect(validatePlugin(undefined, origin('my-plugins'))[0]!.problem).toContain('exports nothing');
  });
});

describe('validateInstance', () => {
  it('checks what a tokenizer factory returns', () => {
    expect(validateInstance(methods('encode', 'decode'), origin('codex_ml.tokenizers'))).toEqual([]);
    expect(validateInstance(null, origin('codex_ml.tokenizers'))[0]!.problem).toBe(
      'the factory returned null, expected a tokenizer { encode, decode }',
    );
  });

  it('checks the [model, tokenizer | null] pair of a model factory', () => {
    expect(validateInstance([{}, null], origin('codex_ml.models'))).toEqual([]);
    expect(validateInstance([{}, 3], origin('codex_ml.models'))).not.toEqual([]);
  });

  it('names the first missing method of a tracking store', () => {
    const [problem] = validateInstance({}, origin('mlflow.tracking_store'));
    expect(problem!.field).toBe('createExperiment');
  });
});
