/**
 * `f1`: the F1 score of a classification as scikit-learn's `f1_score` computes it, from per-label
 * counts: F1 = 2·tp / (true + predicted) for one label, 0 when that denominator is 0 (scikit-learn's
 * default zero_division). Options (scikit-learn's names):
 * - `average`: `"binary"` (default; the F1 of `pos_label`), `"micro"` (from the counts summed over
 *   labels), `"macro"` (unweighted mean over every label seen in predictions or references) or
 *   `"weighted"` (mean weighted by each label's number of true rows);
 * - `pos_label` (default 1): the positive label for `"binary"`.
 * Like scikit-learn, `"binary"` throws when more than two labels occur, or when two occur and
 * `pos_label` is not one of them; mixing string and number labels throws. With no rows the result is
 * NaN (scikit-learn raises).
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch } from './check-batch.ts';
import { metricError, showValue } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';
import { labelKey, readLabel } from './read-label.ts';
import type { Label } from './read-label.ts';

/** Per-label counts: true positives, rows predicted as the label, rows whose reference is the label. */
export interface LabelCounts {
  label: Label;
  truePositives: number;
  predicted: number;
  actual: number;
}

/** The f1 state: integer counts per label key (see `labelKey`), so merging is exact. */
export interface F1State {
  rows: number;
  /** The options given to `init`, used when `finalize` gets none. */
  options?: Record<string, unknown>;
  labels: Record<string, LabelCounts>;
}

const NAME = 'f1';
const OPTIONS = BUILTIN_METRIC_OPTIONS.f1;

function settings(options: Record<string, unknown> | undefined) {
  const values = readOptions(NAME, OPTIONS, options);
  const posLabel: Label = values.pos_label;
  return { average: values.average, posLabel };
}

function countsOf(state: F1State, label: Label): LabelCounts {
  const key = labelKey(label);
  let counts = state.labels[key];
  if (counts === undefined) {
    counts = { label, truePositives: 0, predicted: 0, actual: 0 };
    state.labels[key] = counts;
  }
  return counts;
}

function fScore(truePositives: number, predicted: number, actual: number): number {
  const denominator = actual + predicted;
  return denominator === 0 ? 0 : (2 * truePositives) / denominator;
}

function checkLabelKinds(keys: string[]): void {
  const strings = keys.some((key) => key.startsWith('s'));
  const numbers = keys.some((key) => key.startsWith('n'));
  if (strings && numbers) {
    throw metricError(NAME, {
      code: 'METRIC_INPUT',
      problem: 'the labels mix strings and numbers, so they cannot be ordered into one set of classes.',
      hint: 'Use one kind of label throughout (for example, convert numeric labels to strings).',
    });
  }
}

/** The `f1` metric plugin (an accumulator; result is a number in [0, 1], NaN with no rows). */
export const f1 = defineMetric({
  description: 'F1 for classification: binary, micro, macro or weighted averaging (scikit-learn f1_score).',
  options: OPTIONS,
  init(options?: Record<string, unknown>): F1State {
    settings(options);
    const state: F1State = { rows: 0, labels: {} };
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(state: F1State, batch: { predictions: readonly unknown[]; references: readonly unknown[] }): F1State {
    const { predictions, references } = checkBatch(NAME, batch);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const prediction = readLabel(NAME, predictions[index], 'predictions', row);
      const reference = readLabel(NAME, references[index], 'references', row);
      const predictedCounts = countsOf(state, prediction);
      const actualCounts = countsOf(state, reference);
      predictedCounts.predicted++;
      actualCounts.actual++;
      if (predictedCounts === actualCounts) predictedCounts.truePositives++;
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: F1State, b: F1State): F1State {
    const labels: Record<string, LabelCounts> = {};
    for (const source of [a.labels, b.labels]) {
      for (const [key, counts] of Object.entries(source)) {
        const target = labels[key];
        if (target === undefined) labels[key] = { ...counts };
        else {
          target.truePositives += counts.truePositives;
          target.predicted += counts.predicted;
          target.actual += counts.actual;
        }
      }
    }
    const merged: F1State = { rows: a.rows + b.rows, labels };
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: F1State, options?: Record<string, unknown>): number {
    const { average, posLabel } = settings(options ?? state.options);
    if (state.rows === 0) return Number.NaN;
    // Sorted keys make the float sums below independent of the order the labels were first seen in.
    const keys = Object.keys(state.labels).sort();
    checkLabelKinds(keys);
    const all = keys.map((key) => state.labels[key]!);
    if (average === 'binary') {
      const positiveKey = labelKey(posLabel);
      if (keys.length > 2) {
        throw metricError(NAME, {
          code: 'METRIC_OPTION',
          problem: `average "binary" needs at most two labels, but ${keys.length} occur (${all.slice(0, 5).map((c) => showValue(c.label)).join(', ')}${keys.length > 5 ? ', …' : ''}).`,
          hint: 'Pass average: "micro", "macro" or "weighted" for more than two classes.',
          field: 'options.average',
        });
      }
      if (keys.length === 2 && !keys.includes(positiveKey)) {
        throw metricError(NAME, {
          code: 'METRIC_OPTION',
          problem: `pos_label ${showValue(posLabel)} is not one of the labels ${all.map((c) => showValue(c.label)).join(', ')}.`,
          hint: 'Pass pos_label set to the positive class exactly as it appears in the data.',
          field: 'options.pos_label',
        });
      }
      const positive = state.labels[positiveKey];
      return positive === undefined ? 0 : fScore(positive.truePositives, positive.predicted, positive.actual);
    }
    if (average === 'micro') {
      let truePositives = 0;
      let predicted = 0;
      let actual = 0;
      for (const counts of all) {
        truePositives += counts.truePositives;
        predicted += counts.predicted;
        actual += counts.actual;
      }
      return fScore(truePositives, predicted, actual);
    }
    let sum = 0;
    let weights = 0;
    for (const counts of all) {
      const score = fScore(counts.truePositives, counts.predicted, counts.actual);
      const weight = average === 'weighted' ? counts.actual : 1;
      sum += score * weight;
      weights += weight;
    }
    return sum / weights;
  },
});
