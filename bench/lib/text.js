// Deterministic, realistic text for the metric cases: seeded sentences with punctuation, accents, CJK and emoji.

/** Returns a seeded pseudo-random generator (mulberry32) yielding floats in [0, 1); the same seed gives the same stream. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = (
  'the of and to a in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her she there been one all we their has would when if so no will more about can said out up ' +
  'model data training results shows using between during after before however because small large first new ' +
  'time year people way day man thing woman life child world school state family student group country problem'
).split(' ');
const ACCENTED = ['café', 'naïve', 'Zürich', 'São', 'résumé', 'Ångström', 'façade', 'jalapeño', 'Kraków', 'über', 'crème', 'Dvořák'];
const CJK = ['東京', '数据', '模型', '学习', '評価', '서울', '한국어'];
const EMOJI = ['🙂', '🚀', '📈', '👍🏽'];
const SYLLABLES = ['ka', 'lo', 'mi', 're', 'tan', 'vor', 'sel', 'dri', 'pum', 'gra', 'ne', 'fos', 'quin', 'bar', 'ti', 'wel'];

/** Builds a vocabulary: common English words first (drawn most often), then seeded pseudo-words, accents, CJK. */
function vocabulary(random, size) {
  const words = [...COMMON];
  while (words.length < size) {
    const parts = 1 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < parts; i += 1) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.push(random() < 0.08 ? word[0].toUpperCase() + word.slice(1) : word);
  }
  return words;
}

/**
 * Returns a text generator bound to `seed`: `sentence(min, max)` draws words with a Zipf-like law and adds
 * punctuation, numbers, contractions, accented words, CJK and the odd emoji; `perturb(text, rate)` returns a
 * noisy copy (replaced, dropped and inserted words, case changes) the way a system output differs from a
 * reference; `phrase(min, max)` returns a short answer-like phrase.
 */
export function textGenerator(seed) {
  const random = seededRandom(seed);
  const words = vocabulary(random, 6000);
  const cumulative = [];
  let total = 0;
  for (let rank = 1; rank <= words.length; rank += 1) {
    total += 1 / rank ** 1.05;
    cumulative.push(total);
  }
  const pick = (list) => list[Math.floor(random() * list.length)];
  const word = () => {
    const roll = random();
    if (roll < 0.02) return pick(ACCENTED);
    if (roll < 0.027) return pick(CJK);
    if (roll < 0.029) return pick(EMOJI);
    if (roll < 0.05) return String(Math.floor(random() * 2000)) + (random() < 0.3 ? `.${Math.floor(random() * 10)}` : '');
    if (roll < 0.06) return pick(["don't", "it's", "we'll", "isn't", "O'Neil"]);
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return words[low];
  };
  const punctuate = (tokens) => {
    const out = [];
    for (let i = 0; i < tokens.length; i += 1) {
      let token = tokens[i];
      const roll = random();
      if (roll < 0.06 && i < tokens.length - 1) token += ',';
      else if (roll < 0.075) token = `(${token})`;
      else if (roll < 0.085) token = `“${token}”`;
      else if (roll < 0.09) token += ' —';
      else if (roll < 0.095) token = `"${token}"`;
      else if (roll < 0.1) token += '-based';
      out.push(token);
    }
    const end = random();
    return out.join(' ') + (end < 0.75 ? '.' : end < 0.85 ? '?' : end < 0.9 ? '!' : end < 0.95 ? '…' : '');
  };
  const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  return {
    random,
    sentence(min = 8, max = 32) {
      const length = min + Math.floor(random() * (max - min + 1));
      return capitalise(punctuate(Array.from({ length }, word)));
    },
    phrase(min = 1, max = 5) {
      const length = min + Math.floor(random() * (max - min + 1));
      return Array.from({ length }, word).join(' ');
    },
    perturb(text, rate = 0.25) {
      const tokens = text.split(' ');
      const out = [];
      for (const token of tokens) {
        const roll = random();
        if (roll < rate * 0.5) out.push(word());
        else if (roll < rate * 0.7) continue;
        else if (roll < rate * 0.9) out.push(token, word());
        else if (roll < rate) out.push(token.toLowerCase());
        else out.push(token);
      }
      return out.join(' ');
    },
  };
}
