// A sample catalog plugin: the ratio of prediction length to reference length, in characters.
export const lengthRatio = Object.assign(
  (predictions, references) => ({ score: predictions.join(' ').length / Math.max(1, references.join(' ').length) }),
  { api: 'v1' },
);
