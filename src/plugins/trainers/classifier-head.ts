// The two classifier heads the built-in trainers fit on frozen embeddings, with their exact gradients.
import type { SeededRandom } from './seeded-random.ts';

/** The head shapes: softmax regression (one linear layer) or an MLP with one ReLU hidden layer. */
export type HeadKind = 'softmax_regression' | 'mlp';

/** A head's shape; its parameters live in one flat array (see parameterCount for the layout). */
export interface HeadShape {
  kind: HeadKind;
  inputSize: number;
  classes: number;
  /** Units of the MLP's hidden layer (ignored by softmax regression). */
  hiddenSize: number;
}

/**
 * The number of parameters of a head, laid out in one array: softmax regression is W [classes × input]
 * then b [classes]; the MLP is W1 [hidden × input], b1 [hidden], W2 [classes × hidden], b2 [classes].
 */
export function parameterCount(shape: HeadShape): number {
  const { inputSize, classes, hiddenSize } = shape;
  return shape.kind === 'softmax_regression' ? classes * inputSize + classes : hiddenSize * inputSize + hiddenSize + classes * hiddenSize + classes;
}

/**
 * Fresh parameters: weights uniform in ±√(6 / (fan_in + fan_out)) (Glorot), biases zero, drawn from
 * `random` so a seed fixes them.
 */
export function initialParameters(shape: HeadShape, random: SeededRandom): Float64Array {
  const parameters = new Float64Array(parameterCount(shape));
  const fill = (offset: number, rows: number, columns: number) => {
    const limit = Math.sqrt(6 / (rows + columns));
    for (let index = 0; index < rows * columns; index++) parameters[offset + index] = (random.next() * 2 - 1) * limit;
  };
  if (shape.kind === 'softmax_regression') fill(0, shape.classes, shape.inputSize);
  else {
    fill(0, shape.hiddenSize, shape.inputSize);
    fill(shape.hiddenSize * shape.inputSize + shape.hiddenSize, shape.classes, shape.hiddenSize);
  }
  return parameters;
}

/** Writes `weights · input + bias` (weights [rows × columns] at `offset`, bias right after) into `out`. */
function affine(parameters: Float64Array, offset: number, rows: number, columns: number, input: ArrayLike<number>, out: Float64Array): void {
  const biasOffset = offset + rows * columns;
  for (let row = 0; row < rows; row++) {
    let sum = parameters[biasOffset + row]!;
    const base = offset + row * columns;
    for (let column = 0; column < columns; column++) sum += parameters[base + column]! * input[column]!;
    out[row] = sum;
  }
}

/** Turns logits into probabilities in place (max subtracted first); returns the log of the normaliser. */
function softmaxInPlace(values: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) max = Math.max(max, value);
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index] = Math.exp(values[index]! - max);
  for (let index = 0; index < values.length; index++) values[index]! /= sum;
  return max + Math.log(sum);
}

/** Class probabilities of one input. */
export function predictProbabilities(shape: HeadShape, parameters: Float64Array, input: ArrayLike<number>): Float64Array {
  const logits = new Float64Array(shape.classes);
  if (shape.kind === 'softmax_regression') affine(parameters, 0, shape.classes, shape.inputSize, input, logits);
  else {
    const hidden = new Float64Array(shape.hiddenSize);
    affine(parameters, 0, shape.hiddenSize, shape.inputSize, input, hidden);
    for (let unit = 0; unit < hidden.length; unit++) hidden[unit] = Math.max(0, hidden[unit]!);
    affine(parameters, shape.hiddenSize * shape.inputSize + shape.hiddenSize, shape.classes, shape.hiddenSize, hidden, logits);
  }
  softmaxInPlace(logits);
  return logits;
}

/**
 * The mean cross-entropy of a batch and, when `gradient` is given, its exact gradient with respect to every
 * parameter, added into `gradient` (which the caller zeroes). An empty batch has loss 0 and no gradient.
 */
export function lossAndGradient(
  shape: HeadShape,
  parameters: Float64Array,
  inputs: readonly ArrayLike<number>[],
  labels: readonly number[],
  gradient?: Float64Array,
): number {
  if (inputs.length === 0) return 0;
  const { inputSize, classes, hiddenSize } = shape;
  const scale = 1 / inputs.length;
  const logits = new Float64Array(classes);
  const hidden = new Float64Array(hiddenSize);
  const hiddenGradient = new Float64Array(hiddenSize);
  const outputOffset = hiddenSize * inputSize + hiddenSize;
  let loss = 0;
  inputs.forEach((input, row) => {
    const label = labels[row]!;
    let features: ArrayLike<number> = input;
    if (shape.kind === 'softmax_regression') affine(parameters, 0, classes, inputSize, input, logits);
    else {
      affine(parameters, 0, hiddenSize, inputSize, input, hidden);
      for (let unit = 0; unit < hiddenSize; unit++) hidden[unit] = Math.max(0, hidden[unit]!);
      affine(parameters, outputOffset, classes, hiddenSize, hidden, logits);
      features = hidden;
    }
    const target = logits[label]!;
    const logNormaliser = softmaxInPlace(logits); // logits now hold the probabilities
    loss += (logNormaliser - target) * scale;
    if (!gradient) return;
    // d loss / d logit_c = (p_c − [c = label]) / batch
    const layerOffset = shape.kind === 'softmax_regression' ? 0 : outputOffset;
    const columns = shape.kind === 'softmax_regression' ? inputSize : hiddenSize;
    if (shape.kind === 'mlp') hiddenGradient.fill(0);
    for (let c = 0; c < classes; c++) {
      const delta = (logits[c]! - (c === label ? 1 : 0)) * scale;
      const base = layerOffset + c * columns;
      for (let column = 0; column < columns; column++) {
        gradient[base + column]! += delta * features[column]!;
        if (shape.kind === 'mlp') hiddenGradient[column]! += delta * parameters[base + column]!;
      }
      gradient[layerOffset + classes * columns + c]! += delta;
    }
    if (shape.kind === 'softmax_regression') return;
    for (let unit = 0; unit < hiddenSize; unit++) {
      if (hidden[unit]! <= 0) continue; // ReLU passes no gradient where it was off (the kink counts as off)
      const delta = hiddenGradient[unit]!;
      const base = unit * inputSize;
      for (let column = 0; column < inputSize; column++) gradient[base + column]! += delta * input[column]!;
      gradient[hiddenSize * inputSize + unit]! += delta;
    }
  });
  return loss;
}
