import { describe, expect, it } from 'vitest';
import { initialParameters, lossAndGradient, parameterCount, predictProbabilities, type HeadShape } from './classifier-head.ts';
import { applyUpdate, clipGradientNorm, createOptimizerState } from './optimizer.ts';
import { SeededRandom } from './seeded-random.ts';

function batch(random: SeededRandom, size: number, inputSize: number, classes: number) {
  const inputs = Array.from({ length: size }, () => Float64Array.from({ length: inputSize }, () => random.next() * 2 - 1));
  const labels = Array.from({ length: size }, () => Math.floor(random.next() * classes));
  return { inputs, labels };
}

describe('classifier heads', () => {
  for (const shape of [
    { kind: 'softmax_regression', inputSize: 5, classes: 3, hiddenSize: 0 },
    { kind: 'mlp', inputSize: 5, classes: 3, hiddenSize: 4 },
  ] as HeadShape[]) {
    it(`${shape.kind}: every gradient component matches a central finite difference to 1e-6`, () => {
      const random = new SeededRandom(7);
      const parameters = initialParameters(shape, random);
      // Biases away from zero, so every ReLU unit is clearly on or off and the difference does not straddle a kink.
      for (let index = 0; index < parameters.length; index++) parameters[index]! += (random.next() - 0.5) * 0.3;
      const { inputs, labels } = batch(random, 6, shape.inputSize, shape.classes);
      const gradient = new Float64Array(parameters.length);
      lossAndGradient(shape, parameters, inputs, labels, gradient);
      const step = 1e-5;
      let worst = 0;
      for (let index = 0; index < parameters.length; index++) {
        const saved = parameters[index]!;
        parameters[index] = saved + step;
        const up = lossAndGradient(shape, parameters, inputs, labels);
        parameters[index] = saved - step;
        const down = lossAndGradient(shape, parameters, inputs, labels);
        parameters[index] = saved;
        worst = Math.max(worst, Math.abs((up - down) / (2 * step) - gradient[index]!));
      }
      expect(parameters.length).toBe(parameterCount(shape));
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('gives the loss of the probabilities it predicts: mean −log p(label)', () => {
    const shape: HeadShape = { kind: 'mlp', inputSize: 3, classes: 4, hiddenSize: 5 };
    const random = new SeededRandom(3);
    const parameters = initialParameters(shape, random);
    const { inputs, labels } = batch(random, 5, 3, 4);
    const expected = inputs.reduce((sum, input, row) => sum - Math.log(predictProbabilities(shape, parameters, input)[labels[row]!]!), 0) / inputs.length;
    expect(lossAndGradient(shape, parameters, inputs, labels)).toBeCloseTo(expected, 12);
    expect(lossAndGradient(shape, parameters, [], [])).toBe(0);
  });

  it('AdamW and SGD both lower the loss of a batch they step on, and clipping caps the gradient norm', () => {
    const shape: HeadShape = { kind: 'softmax_regression', inputSize: 4, classes: 2, hiddenSize: 0 };
    for (const kind of ['adamw', 'sgd'] as const) {
      const random = new SeededRandom(11);
      const parameters = initialParameters(shape, random);
      const { inputs, labels } = batch(random, 8, 4, 2);
      const before = lossAndGradient(shape, parameters, inputs, labels);
      const state = createOptimizerState(parameters.length);
      for (let step = 0; step < 20; step++) {
        const gradient = new Float64Array(parameters.length);
        lossAndGradient(shape, parameters, inputs, labels, gradient);
        applyUpdate({ kind, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 }, state, parameters, gradient, 0.05);
      }
      expect(lossAndGradient(shape, parameters, inputs, labels), kind).toBeLessThan(before);
      expect(state.step).toBe(20);
    }
    const gradient = Float64Array.from([3, 4]);
    expect(clipGradientNorm(gradient, 1)).toBe(5);
    expect(Math.hypot(gradient[0]!, gradient[1]!)).toBeCloseTo(1, 5);
  });

  it('draws the same initial parameters from the same seed', () => {
    const shape: HeadShape = { kind: 'mlp', inputSize: 3, classes: 2, hiddenSize: 4 };
    expect(initialParameters(shape, new SeededRandom(5))).toEqual(initialParameters(shape, new SeededRandom(5)));
    expect(initialParameters(shape, new SeededRandom(5))).not.toEqual(initialParameters(shape, new SeededRandom(6)));
  });
});
