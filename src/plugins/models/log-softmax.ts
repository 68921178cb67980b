/**
 * Returns `log softmax(logits[offset … offset+size))[target]`, computed in float64 with the maximum
 * subtracted first, so large logits do not overflow. Kept apart from the model loader so metrics can use
 * it without loading any model code.
 */
export function logSoftmaxAt(logits: ArrayLike<number>, offset: number, size: number, target: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < size; index++) max = Math.max(max, logits[offset + index]!);
  let sum = 0;
  for (let index = 0; index < size; index++) sum += Math.exp(logits[offset + index]! - max);
  return logits[offset + target]! - max - Math.log(sum);
}
