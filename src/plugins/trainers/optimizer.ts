// The optimisers of the built-in trainers over one flat parameter array, with state a checkpoint can carry.

/** `adamw` (Adam with decoupled weight decay, as torch.optim.AdamW) or plain `sgd`. */
export type OptimizerKind = 'adamw' | 'sgd';

/** Optimiser settings; `weightDecay` is decoupled (AdamW) for adamw and added to the gradient for sgd. */
export interface OptimizerSettings {
  kind: OptimizerKind;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** What the optimiser keeps between steps: the step count and Adam's two moment estimates. */
export interface OptimizerState {
  step: number;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
}

/** A fresh state for `size` parameters. */
export function createOptimizerState(size: number): OptimizerState {
  return { step: 0, firstMoment: new Float64Array(size), secondMoment: new Float64Array(size) };
}

/** Scales `gradient` in place so its L2 norm is at most `maxNorm` (as torch.nn.utils.clip_grad_norm_); returns the norm before. */
export function clipGradientNorm(gradient: Float64Array, maxNorm: number): number {
  let squares = 0;
  for (const value of gradient) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let index = 0; index < gradient.length; index++) gradient[index]! *= scale;
  }
  return norm;
}

/** Applies one update with learning rate `rate` to `parameters` in place, as torch's AdamW / SGD step does. */
export function applyUpdate(settings: OptimizerSettings, state: OptimizerState, parameters: Float64Array, gradient: Float64Array, rate: number): void {
  state.step++;
  if (settings.kind === 'sgd') {
    for (let index = 0; index < parameters.length; index++) parameters[index]! -= rate * (gradient[index]! + settings.weightDecay * parameters[index]!);
    return;
  }
  const { beta1, beta2, epsilon, weightDecay } = settings;
  const correction1 = 1 - beta1 ** state.step;
  const correction2 = 1 - beta2 ** state.step;
  for (let index = 0; index < parameters.length; index++) {
    const g = gradient[index]!;
    parameters[index]! *= 1 - rate * weightDecay;
    state.firstMoment[index] = beta1 * state.firstMoment[index]! + (1 - beta1) * g;
    state.secondMoment[index] = beta2 * state.secondMoment[index]! + (1 - beta2) * g * g;
    const denominator = Math.sqrt(state.secondMoment[index]! / correction2) + epsilon;
    parameters[index]! -= (rate / correction1) * (state.firstMoment[index]! / denominator);
  }
}
