import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { PlugboardError } from '../errors/index.ts';
import { Registry, getAllStableNames, getDescription, isStableName } from './index.ts';

const metric = (name: string) => Object.assign(() => 1, { description: name });

describe('Registry', () => {
  it('lists names sorted whatever the order of registration', () => {
    const registry = new Registry('codex_ml.metrics');
    for (const name of ['rouge', 'bleu', 'Zeta', 'f1']) registry.register(name, metric(name));
    expect(registry.names()).toEqual(['Zeta', 'bleu', 'f1', 'rouge']);
    expect(registry.list()).toEqual(['Zeta', 'bleu', 'f1', 'rouge']);
    expect(registry.entries().map(([name]) => name)).toEqual(['Zeta', 'bleu', 'f1', 'rouge']);
    expect(registry.size).toBe(4);
  });

  it('treats registering the same object again as a no-op', () => {
    const onWarning = vi.fn();
    const registry = new Registry('codex_ml.metrics', { onWarning });
    const bleu = metric('bleu');
    expect(registry.register('bleu', bleu)).toBe(true);
    expect(registry.register('bleu', bleu)).toBe(true);
    expect(registry.size).toBe(1);
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('keeps the first plugin and warns when a different one is registered under a taken name', () => {
    const onWarning = vi.fn();
    const registry = new Registry('codex_ml.metrics', { onWarning });
    const first = metric('first');
    registry.register('bleu', first);
    expect(registry.register('bleu', metric('second'))).toBe(false);
    expect(registry.get('bleu')).toBe(first);
    expect(onWarning).toHaveBeenCalledOnce();
    expect(onWarning.mock.calls[0]![0]).toMatchObject({ code: 'NAME_TAKEN', group: 'codex_ml.metrics', plugin: 'bleu' });
  });

  it('is case-sensitive', () => {
    const registry = new Registry('codex_ml.metrics');
    registry.register('BLEU', metric('upper'));
    expect(registry.has('BLEU')).toBe(true);
    expect(registry.has('bleu')).toBe(false);
  });

  it('throws UNKNOWN_PLUGIN listing the registered names on get of a missing name', () => {
    const registry = new Registry('codex_ml.metrics');
    registry.register('bleu', metric('bleu'));
    registry.register('f1', metric('f1'));
    const error = (() => {
      try {
        registry.get('rouge');
      } catch (thrown) {
        return thrown as PlugboardError;
      }
    })();
    expect(error).toBeInstanceOf(PlugboardError);
    expect(error).toMatchObject({ code: 'UNKNOWN_PLUGIN', group: 'codex_ml.metrics', plugin: 'rouge' });
    expect(error!.hint).toBe('Registered: bleu, f1.');
  });

  it('checks a plugin against its group contract when it is registered, naming the group and plugin', () => {
    const registry = new Registry('codex_ml.metrics');
    expect(() => registry.register('bad', 42 as never)).toThrowError(
      /\[codex_ml\.metrics\/bad\] expected a function .* or an accumulator .*, received number/,
    );
    expect(registry.size).toBe(0);
  });

  it('accepts anything but undefined in a custom group', () => {
    const registry = new Registry('my-plugins');
    registry.register('n', 42);
    expect(registry.get('n')).toBe(42);
    expect(() => registry.register('u', undefined)).toThrowError(PlugboardError);
  });

  it('calls a factory with the options and checks what it returns', async () => {
    const registry = new Registry('codex_ml.tokenizers');
    registry.register('chars', (config: { upper?: boolean }) => ({
      encode: (text: string) => Array.from(config.upper ? text.toUpperCase() : text, (c) => c.codePointAt(0)!),
      decode: (ids: number[]) => String.fromCodePoint(...ids),
    }));
    const tokenizer = (await registry.resolveAndInstantiate('chars', { upper: true })) as { encode(t: string): number[] };
    expect(tokenizer.encode('ab')).toEqual([65, 66]);

    registry.register('broken', () => ({ encode: () => [] }));
    await expect(registry.resolveAndInstantiate('broken')).rejects.toMatchObject({
      code: 'INVALID_INSTANCE',
      plugin: 'broken',
      field: 'decode',
    });
  });

  it('returns a metric as it is from resolveAndInstantiate', async () => {
    const registry = new Registry('codex_ml.metrics');
    const bleu = metric('bleu');
    registry.register('bleu', bleu);
    expect(await registry.resolveAndInstantiate('bleu', { x: 1 })).toBe(bleu);
  });

  it('wraps a factory that throws, keeping the cause', async () => {
    const registry = new Registry('mlflow.tracking_store');
    const cause = new Error('no such database');
    registry.register('boom', () => {
      throw cause;
    });
    await expect(registry.resolveAndInstantiate('boom')).rejects.toMatchObject({ code: 'FACTORY_FAILED', cause });
  });

  it('lists names, as the seed promises: registry.list() is ["accuracy"]', () => {
    const registry = new Registry('codex_ml.metrics');
    const accuracy = metric('accuracy');
    registry.register('accuracy', accuracy);
    expect(registry.list()).toEqual(['accuracy']);
    expectTypeOf(registry.list()).toEqualTypeOf<string[]>();
    expect(registry.entries()).toEqual([['accuracy', accuracy]]);
  });

  it('registers through the decorator form and hands back the function itself', () => {
    const registry = new Registry<(predictions: unknown[], references: unknown[]) => number>('codex_ml.metrics');
    const accuracy = registry.register('accuracy')((predictions: unknown[], references: unknown[]) =>
      predictions.filter((prediction, index) => prediction === references[index]).length / predictions.length,
    );
    expect(registry.get('accuracy')).toBe(accuracy);
    expect(accuracy(['a', 'b'], ['a', 'c'])).toBe(0.5);
    expectTypeOf(accuracy).toEqualTypeOf<(predictions: unknown[], references: unknown[]) => number>();
    expect(registry.list()).toEqual(['accuracy']);
  });

  it('checks a plugin registered through the decorator form, and keeps the first under a taken name', () => {
    const onWarning = vi.fn();
    const registry = new Registry('codex_ml.metrics', { onWarning });
    expect(() => registry.register('bad')(42)).toThrowError(/\[codex_ml\.metrics\/bad\] expected a function/);
    const first = registry.register('f1')(metric('first'));
    const second = metric('second');
    expect(registry.register('f1')(second)).toBe(second);
    expect(registry.get('f1')).toBe(first);
    expect(onWarning).toHaveBeenCalledWith(expect.objectContaining({ code: 'NAME_TAKEN', plugin: 'f1' }));
  });

  it('takes from add() only what the loader made, and of its own group', () => {
    const registry = new Registry('codex_ml.metrics');
    const entry = { group: 'codex_ml.metrics', name: 'm', url: 'https://cdn.example/m.js', export: 'm', source: 'https://cdn.example/manifest.json' };
    expect(() => registry.add({ entry, plugin: 42 } as never)).toThrowError(expect.objectContaining({ code: 'NOT_LOADED' }));
    expect(registry.size).toBe(0);
  });
});

describe('stable names', () => {
  it('lists every stable name by kind, sorted', () => {
    const names = getAllStableNames();
    expect(names.metrics).toEqual(['accuracy', 'bleu', 'chrf', 'exact_match', 'f1', 'ppl', 'rouge', 'squad', 'ter', 'token_accuracy']);
    expect(names.data_loaders).toEqual(['csv', 'jsonl', 'lines', 'parquet']);
    expect(names.models).toEqual(['bert_base_uncased', 'gpt2', 'minilm']);
    expect(names.tokenizers).toEqual(['hf', 'sentencepiece']);
    expect(names.trainers).toEqual(['functional', 'hf_trainer']);
  });

  it('answers by kind or by group, case-sensitively', () => {
    expect(isStableName('metrics', 'bleu')).toBe(true);
    expect(isStableName('codex_ml.metrics', 'bleu')).toBe(true);
    expect(isStableName('metrics', 'BLEU')).toBe(false);
    expect(isStableName('nonsense', 'bleu')).toBe(false);
    expect(isStableName('metrics', 'toString')).toBe(false);
  });

  it('describes stable names and returns undefined for others', () => {
    expect(getDescription('metrics', 'bleu')).toMatch(/sacreBLEU/);
    expect(getDescription('codex_ml.tokenizers', 'hf')).toMatch(/tokenizer\.json/);
    expect(getDescription('metrics', 'mine')).toBeUndefined();
  });
});
