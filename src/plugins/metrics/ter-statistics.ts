// Translation edit rate with shifts, transcribed from sacreBLEU 2.6's sacrebleu/metrics/lib_ter.py (its
// re-implementation of Tercom): a beam-limited word edit distance, and greedy block shifts chosen by
// Tercom's heuristics, with the same limits (blocks of at most 10 words moved at most 50 positions, 1000
// shift candidates per segment) and the same tie-breaking, so the counts agree edit for edit. Words are
// compared as integer ids.

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const BEAM_WIDTH = 25;
const MAX_SHIFT_CANDIDATES = 1000;
// Stands for lib_ter's int(1e16), the cost of a cell the beam never reached; adding 1 keeps it above
// every real cost, and an unreached cell is never improved by another unreached one, as there.
const UNREACHED = 0x3fffffff;

const OP_NOP = 0;
const OP_SUB = 1;
const OP_INS = 2;
const OP_DEL = 3;
const OP_UNDEF = 4;

/** The word edit distance between a fixed reference and any hypothesis, in lib_ter's `BeamEditDistance` manner. */
class BeamEditDistance {
  readonly #reference: Int32Array;
  #costs = new Int32Array(0);
  #operations = new Uint8Array(0);

  constructor(reference: Int32Array) {
    this.#reference = reference;
  }

  /** Returns the edit distance of `hypothesis` to the reference; with `traced`, also the operations (hypothesis → reference). */
  distance(hypothesis: Int32Array, traced: boolean): { cost: number; trace: number[] } {
    const reference = this.#reference;
    const width = reference.length + 1;
    const rows = hypothesis.length + 1;
    if (this.#costs.length < rows * width) {
      this.#costs = new Int32Array(2 * rows * width);
      this.#operations = new Uint8Array(2 * rows * width);
    }
    const costs = this.#costs;
    const operations = this.#operations;
    for (let j = 0; j < width; j++) {
      costs[j] = j;
      operations[j] = OP_INS;
    }
    costs.fill(UNREACHED, width, rows * width);
    operations.fill(OP_UNDEF, width, rows * width);
    const lengthRatio = hypothesis.length > 0 ? reference.length / hypothesis.length : 1;
    const beamWidth = BEAM_WIDTH < lengthRatio / 2 ? Math.ceil(lengthRatio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    for (let i = 1; i < rows; i++) {
      const pseudoDiagonal = Math.floor(i * lengthRatio);
      const minJ = Math.max(0, pseudoDiagonal - beamWidth);
      const maxJ = i === rows - 1 ? width : Math.min(width, pseudoDiagonal + beamWidth);
      const row = i * width;
      const above = row - width;
      for (let j = minJ; j < maxJ; j++) {
        if (j === 0) {
          costs[row] = costs[above]! + 1;
          operations[row] = OP_DEL;
          continue;
        }
        const same = hypothesis[i - 1] === reference[j - 1];
        // Substitution (or match), deletion, insertion, in this order; a later one wins only when cheaper.
        let best = costs[row + j]!;
        let operation = operations[row + j]!;
        const substitute = costs[above + j - 1]! + (same ? 0 : 1);
        if (best > substitute) {
          best = substitute;
          operation = same ? OP_NOP : OP_SUB;
        }
        const remove = costs[above + j]! + 1;
        if (best > remove) {
          best = remove;
          operation = OP_DEL;
        }
        const insert = costs[row + j - 1]! + 1;
        if (best > insert) {
          best = insert;
          operation = OP_INS;
        }
        costs[row + j] = best;
        operations[row + j] = operation;
      }
    }
    const cost = costs[rows * width - 1]!;
    const trace: number[] = [];
    if (traced) {
      let i = rows - 1;
      let j = width - 1;
      while (i > 0 || j > 0) {
        const operation = operations[i * width + j]!;
        trace.push(operation);
        if (operation === OP_SUB || operation === OP_NOP) {
          i--;
          j--;
        } else if (operation === OP_INS) {
          j--;
        } else if (operation === OP_DEL) {
          i--;
        } else {
          throw new Error(`TER: no edit path through cell (${i}, ${j})`);
        }
      }
      trace.reverse();
    }
    return { cost, trace };
  }
}

function performShift(words: Int32Array, start: number, length: number, target: number): Int32Array {
  const out = new Int32Array(words.length);
  let at = 0;
  const copy = (from: number, to: number) => {
    for (let index = from; index < to; index++) out[at++] = words[index]!;
  };
  if (target < start) {
    copy(0, target);
    copy(start, start + length);
    copy(target, start);
    copy(start + length, words.length);
  } else if (target > start + length) {
    copy(0, start);
    copy(start + length, target);
    copy(start, start + length);
    copy(target, words.length);
  } else {
    copy(0, start);
    copy(start + length, length + target);
    copy(start, start + length);
    copy(length + target, words.length);
  }
  return out;
}

interface Shift {
  gain: number;
  words: Int32Array;
  checked: number;
}

// lib_ter's _shift: the best single block move by (gain, length, earliest start, earliest target).
function bestShift(hypothesis: Int32Array, reference: Int32Array, distance: BeamEditDistance, checkedBefore: number): Shift {
  let checked = checkedBefore;
  const { cost: before, trace } = distance.distance(hypothesis, true);
  // The trace rewrites the hypothesis into the reference; flipped, insertions and deletions swap.
  const align = new Int32Array(reference.length);
  const referenceErrors = new Uint8Array(reference.length);
  const hypothesisErrors = new Uint8Array(hypothesis.length);
  let hypothesisAt = -1;
  let referenceAt = -1;
  for (const operation of trace) {
    if (operation === OP_NOP || operation === OP_SUB) {
      hypothesisAt++;
      referenceAt++;
      align[referenceAt] = hypothesisAt;
      if (operation === OP_SUB) {
        hypothesisErrors[hypothesisAt] = 1;
        referenceErrors[referenceAt] = 1;
      }
    } else if (operation === OP_DEL) {
      hypothesisAt++;
      hypothesisErrors[hypothesisAt] = 1;
    } else {
      referenceAt++;
      align[referenceAt] = hypothesisAt;
      referenceErrors[referenceAt] = 1;
    }
  }
  let best: { gain: number; length: number; start: number; target: number; words: Int32Array } | undefined;
  const anyError = (errors: Uint8Array, from: number, length: number) => {
    for (let index = from; index < Math.min(errors.length, from + length); index++) if (errors[index] === 1) return true;
    return false;
  };
  const hypothesisLength = hypothesis.length;
  const referenceLength = reference.length;
  search: for (let startH = 0; startH < hypothesisLength; startH++) {
    for (let startR = 0; startR < referenceLength; startR++) {
      if (Math.abs(startR - startH) > MAX_SHIFT_DIST) continue;
      let length = 0;
      while (hypothesis[startH + length] === reference[startR + length] && length < MAX_SHIFT_SIZE) {
        length++;
        // One candidate block per matching length, as lib_ter's _find_shifted_pairs yields them.
        if (anyError(hypothesisErrors, startH, length) && anyError(referenceErrors, startR, length) && !(startH <= align[startR]! && align[startR]! < startH + length)) {
          let previous = -1;
          for (let offset = -1; offset < length; offset++) {
            const target = startR + offset === -1 ? 0 : align[startR + offset]! + 1;
            if (target === previous) continue;
            previous = target;
            const words = performShift(hypothesis, startH, length, target);
            const gain = before - distance.distance(words, false).cost;
            checked++;
            if (
              best === undefined ||
              gain > best.gain ||
              (gain === best.gain && (length > best.length || (length === best.length && (startH < best.start || (startH === best.start && target < best.target)))))
            ) {
              best = { gain, length, start: startH, target, words };
            }
          }
          if (checked >= MAX_SHIFT_CANDIDATES) break search;
        }
        if (hypothesisLength === startH + length || referenceLength === startR + length) break;
      }
    }
  }
  return best === undefined ? { gain: 0, words: hypothesis, checked } : { gain: best.gain, words: best.words, checked };
}

/**
 * Returns the number of edits (word insertions, deletions, substitutions and block shifts) that turn
 * `hypothesis` into `reference`, as lib_ter's `translation_edit_rate`: shifts are applied greedily while
 * one lowers the edit distance, and the search stops (dropping the shift last found) once 1000
 * candidates were tried. An empty reference costs one deletion per hypothesis word.
 */
export function countTerEdits(hypothesis: Int32Array, reference: Int32Array): number {
  if (reference.length === 0) return hypothesis.length;
  const distance = new BeamEditDistance(reference);
  let shifts = 0;
  let words = hypothesis;
  let checked = 0;
  for (;;) {
    const shift = bestShift(words, reference, distance, checked);
    checked = shift.checked;
    if (checked >= MAX_SHIFT_CANDIDATES || shift.gain <= 0) break;
    shifts++;
    words = shift.words;
  }
  return shifts + distance.distance(words, false).cost;
}
