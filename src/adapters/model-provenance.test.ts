import { describe, expect, it } from 'vitest';
import { LIMITS } from '../tracking/index.ts';
import { modelProvenanceTag, modelTagValue, type ModelProvenance } from './model-provenance.ts';

function model(files: number): ModelProvenance {
  return {
    plugin: 'gpt2',
    model_name: 'team/big-gpt2',
    folder: 'https://models.example/team/big-gpt2/resolve/main/',
    revision: 'main',
    dtype: 'fp32',
    device: 'wasm',
    files: Array.from({ length: files }, (_, index) => ({ file: `onnx/model.onnx_data_${index}`, url: `https://models.example/team/big-gpt2/resolve/main/onnx/model.onnx_data_${index}`, sha384: `sha384-${String(index).padStart(64, 'A')}`, size: 1 })),
  };
}

describe('modelTagValue', () => {
  it('names each model file with its SHA-384 under plugboard.provenance.model.<metric or trainer>', () => {
    expect(modelProvenanceTag('ppl')).toBe('plugboard.provenance.model.ppl');
    const value = JSON.parse(modelTagValue([model(2)]));
    expect(value).toEqual([
      {
        plugin: 'gpt2', model_name: 'team/big-gpt2', folder: 'https://models.example/team/big-gpt2/resolve/main/', revision: 'main', dtype: 'fp32', device: 'wasm',
        files: { 'onnx/model.onnx_data_0': `sha384-${'0'.padStart(64, 'A')}`, 'onnx/model.onnx_data_1': `sha384-${'1'.padStart(64, 'A')}` },
      },
    ]);
  });

  it('stays whole JSON within MLflow’s tag limit when a model has too many files, pointing at results.json for them', () => {
    const value = modelTagValue([model(200)]);
    expect(value.length).toBeLessThanOrEqual(LIMITS.runTagValueLength);
    expect(JSON.parse(value)).toEqual([expect.objectContaining({ model_name: 'team/big-gpt2', files: '200 files; their URLs and digests are in results.json (models)' })]);
  });

  it('points at the artifact the caller names for the full records when it shortens the tag', () => {
    const value = modelTagValue([model(200)], 'model/head.json (encoder)');
    expect(JSON.parse(value)).toEqual([expect.objectContaining({ files: '200 files; their URLs and digests are in model/head.json (encoder)' })]);
  });
});
