// `length_ratio`: total prediction length over total reference length, in whitespace-separated tokens —
// the length ratio sacreBLEU reports beside BLEU (above 1 the system writes too much, below 1 too little).
import { defineMetric } from 'plugboard/sdk';

/** Whitespace tokens of a string; an empty or blank string has none. */
const tokens = (text) => text.split(/\s+/u).filter((token) => token.length > 0).length;

/**
 * Scores `{ score, predictionLength, referenceLength }`; with no rows, or references with no tokens at all,
 * the score is NaN (a ratio over nothing), never an infinite value.
 */
export const lengthRatio = defineMetric((predictions, references) => {
  let predictionLength = 0;
  let referenceLength = 0;
  predictions.forEach((prediction, index) => {
    predictionLength += tokens(String(prediction));
    referenceLength += tokens(String(references[index] ?? ''));
  });
  return { score: referenceLength === 0 ? Number.NaN : predictionLength / referenceLength, predictionLength, referenceLength };
});
