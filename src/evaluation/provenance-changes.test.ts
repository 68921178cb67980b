import { describe, expect, it } from 'vitest';
import type { ModelProvenance } from '../sdk/index.ts';
import type { PluginProvenance } from './evaluation-types.ts';
import { describeProvenanceChanges, modelFileChanges, provenanceChanges } from './provenance-changes.ts';

const URL_ = 'https://cdn.example/metrics/m.js';
const PART = 'https://cdn.example/chunks/part.js';
const SPM = 'https://cdn.example/tokenizers/spm.js';
const recorded: PluginProvenance = {
  group: 'codex_ml.metrics',
  name: 'm',
  url: URL_,
  sha384: 'sha384-ENTRY',
  modules: [
    { url: PART, sha384: 'sha384-PART' },
    { url: SPM, sha384: 'sha384-SPM', onDemand: true, plugin: 'codex_ml.tokenizers/sentencepiece' },
  ],
};
const withModules = (modules: PluginProvenance['modules'], rest: Partial<PluginProvenance> = {}): PluginProvenance => ({ ...recorded, ...rest, modules });

describe('provenanceChanges', () => {
  it('finds nothing when the entry and every module it imports have the recorded bytes', () => {
    expect(provenanceChanges(recorded, structuredClone(recorded))).toEqual([]);
  });

  it('names an imported module whose bytes changed, with the digest then and now', () => {
    expect(provenanceChanges(recorded, withModules([{ url: PART, sha384: 'sha384-NEW' }, recorded.modules![1]!]))).toEqual([
      { plugin: 'codex_ml.metrics/m', url: PART, role: 'imported', then: 'sha384-PART', now: 'sha384-NEW' },
    ]);
  });

  it('names a tokenizer plugin a metric imports on demand when its bytes changed', () => {
    expect(provenanceChanges(recorded, withModules([recorded.modules![0]!, { ...recorded.modules![1]!, sha384: 'sha384-SPM2' }]))).toEqual([
      { plugin: 'codex_ml.metrics/m', url: SPM, role: 'on-demand', modulePlugin: 'codex_ml.tokenizers/sentencepiece', then: 'sha384-SPM', now: 'sha384-SPM2' },
    ]);
  });

  it('names modules no longer imported, newly imported, and no longer readable', () => {
    const changes = provenanceChanges(recorded, withModules([{ url: SPM, problem: 'its bytes could not be read: 404', onDemand: true }, { url: 'https://cdn.example/new.js', sha384: 'sha384-NEWMOD' }]));
    expect(changes.map((change) => [change.url, change.then, change.now])).toEqual([
      [PART, 'sha384-PART', 'not imported'],
      [SPM, 'sha384-SPM', 'unreadable: its bytes could not be read: 404'],
      ['https://cdn.example/new.js', 'not imported', 'sha384-NEWMOD'],
    ]);
  });

  it('names a changed entry module, a moved entry and a plugin no manifest declares any more', () => {
    expect(provenanceChanges(recorded, { ...recorded, sha384: 'sha384-E2' })).toEqual([{ plugin: 'codex_ml.metrics/m', url: URL_, role: 'entry', then: 'sha384-ENTRY', now: 'sha384-E2' }]);
    expect(provenanceChanges(recorded, { ...recorded, url: 'https://cdn.example/other.js' })[0]!.now).toMatch(/^not imported \(the entry is now https:\/\/cdn\.example\/other\.js/);
    expect(provenanceChanges(recorded, undefined)).toEqual([{ plugin: 'codex_ml.metrics/m', url: URL_, role: 'entry', then: 'sha384-ENTRY', now: 'no longer declared' }]);
  });

  it('compares only the entry of a run recorded without its modules, and nothing of a plugin registered by object', () => {
    const { modules: _, ...old } = recorded;
    expect(provenanceChanges(old, withModules([{ url: PART, sha384: 'sha384-NEW' }]))).toEqual([]);
    const { sha384: __, ...byObject } = old;
    expect(provenanceChanges(byObject, undefined)).toEqual([]);
  });
});

describe('describeProvenanceChanges', () => {
  it('says which module of which plugin changed, both digests, and what to do', () => {
    const text = describeProvenanceChanges(provenanceChanges(recorded, withModules([{ url: PART, sha384: 'sha384-NEW' }, { ...recorded.modules![1]!, sha384: 'sha384-SPM2' }])));
    expect(text).toBe(
      `codex_ml.metrics/m: module ${PART}, which it imports, changed (sha384-PART then, sha384-NEW now); ` +
        `codex_ml.metrics/m: module ${SPM} (the codex_ml.tokenizers/sentencepiece plugin), which it imports on demand, changed (sha384-SPM then, sha384-SPM2 now). ` +
        'The code that produced the run is no longer what is served: to reproduce it, serve those bytes at those URLs again (or install the plugins from a bundle pinned to them); to score the file with the code as it is now, run a new evaluation instead.',
    );
  });
});

const FOLDER = 'https://models.example/tiny-gpt2/';
const model: ModelProvenance = {
  plugin: 'gpt2',
  model_name: FOLDER,
  folder: FOLDER,
  files: [
    { file: 'config.json', url: `${FOLDER}config.json`, sha384: 'sha384-CONFIG', size: 10 },
    { file: 'onnx/model.onnx', url: `${FOLDER}onnx/model.onnx`, sha384: 'sha384-WEIGHTS', size: 20 },
  ],
};

describe('modelFileChanges', () => {
  it('finds nothing when every recorded model file has the recorded SHA-384', () => {
    expect(modelFileChanges('ppl', model, [{ file: 'config.json', sha384: 'sha384-CONFIG' }, { file: 'onnx/model.onnx', sha384: 'sha384-WEIGHTS' }])).toEqual([]);
  });

  it('names the model file whose bytes changed, with the metric, the model and both digests', () => {
    expect(modelFileChanges('ppl', model, [{ file: 'config.json', sha384: 'sha384-CONFIG' }, { file: 'onnx/model.onnx', sha384: 'sha384-OTHER' }])).toEqual([
      { plugin: 'codex_ml.metrics/ppl', url: `${FOLDER}onnx/model.onnx`, role: 'model-file', model: { plugin: 'gpt2', folder: FOLDER, file: 'onnx/model.onnx' }, then: 'sha384-WEIGHTS', now: 'sha384-OTHER' },
    ]);
  });

  it('names a model file that can no longer be read, and one that was not checked', () => {
    const changes = modelFileChanges('ppl', model, [{ file: 'config.json', problem: 'the model host answered 404' }]);
    expect(changes.map((change) => [change.url, change.then, change.now])).toEqual([
      [`${FOLDER}config.json`, 'sha384-CONFIG', 'unreadable: the model host answered 404'],
      [`${FOLDER}onnx/model.onnx`, 'sha384-WEIGHTS', 'not checked'],
    ]);
  });
});

describe('describeProvenanceChanges with model files', () => {
  it('says which model file of which metric changed, both digests, where model files are read from, and what to do', () => {
    const text = describeProvenanceChanges(modelFileChanges('ppl', model, [{ file: 'config.json', sha384: 'sha384-CONFIG' }, { file: 'onnx/model.onnx', sha384: 'sha384-OTHER' }]));
    expect(text).toBe(
      `codex_ml.metrics/ppl: model file ${FOLDER}onnx/model.onnx (onnx/model.onnx of the gpt2 model at ${FOLDER}), which it ran, changed (sha384-WEIGHTS then, sha384-OTHER now). ` +
        'The model files that produced the run are no longer what is served (a model file is read from the model cache here, else from its URL): to reproduce it, serve those bytes at those URLs again; to score the file with the models as they are now, run a new evaluation instead.',
    );
  });

  it('speaks of code and model files when both changed', () => {
    const changes = [...provenanceChanges(recorded, { ...recorded, sha384: 'sha384-E2' }), ...modelFileChanges('ppl', model, [{ file: 'config.json', sha384: 'sha384-C2' }, { file: 'onnx/model.onnx', sha384: 'sha384-WEIGHTS' }])];
    expect(describeProvenanceChanges(changes)).toMatch(/^codex_ml\.metrics\/m: the entry module .*; codex_ml\.metrics\/ppl: model file .*config\.json .*\. The code and model files that produced the run are no longer what is served .*\(or install the plugins from a bundle pinned to them\); to score the file with the code and models as they are now/);
  });
});
