// A sample catalog plugin: the ratio of prediction length to reference length, in words (for Plugboard 0.2).
export const lengthRatio = Object.assign(
  (predictions, references) => {
    const words = (texts) => texts.join(' ').split(/\s+/).filter(Boolean).length;
    return { score: words(predictions) / Math.max(1, words(references)) };
  },
  { api: 'v1' },
);
