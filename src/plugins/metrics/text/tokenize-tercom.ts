// sacreBLEU 2.6's TercomTokenizer (sacrebleu/tokenizers/tokenizer_ter.py, after Tercom's Normalizer.java),
// transcribed pass by pass. Every pattern is a character class, a literal or an anchored run, so each
// pass is linear in the line.
import { splitPython } from './python-text.ts';

/** The switches of the Tercom tokenizer, named as TER's options. */
export interface TercomSettings {
  normalized: boolean;
  noPunct: boolean;
  asianSupport: boolean;
  caseSensitive: boolean;
}

const ASIAN_PUNCT = /([\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb])/gu;
const FULL_WIDTH_PUNCT = /([\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09])/gu;

function normalizeGeneralAndWestern(line: string): string {
  let out = line.replace(/\n-/gu, '').replace(/\n/gu, ' ');
  out = out.replace(/&quot;/gu, '"').replace(/&amp;/gu, '&').replace(/&lt;/gu, '<').replace(/&gt;/gu, '>');
  out = ` ${out} `;
  out = out.replace(/([{-~[-` -&(-+:-@/])/gu, ' $1 ');
  // Possessives; Python's "'s$" could also match before a final newline, but none is left by now.
  out = out.replace(/'s /gu, " 's ").replace(/'s$/u, " 's");
  out = out.replace(/([^0-9])([.,])/gu, '$1 $2 ');
  out = out.replace(/([.,])([^0-9])/gu, ' $1 $2');
  return out.replace(/([0-9])(-)/gu, '$1 $2 ');
}

function normalizeAsian(line: string): string {
  let out = line.replace(/([\u4e00-\u9fff\u3400-\u4dbf])/gu, ' $1 ');
  out = out.replace(/([\u31c0-\u31ef\u2e80-\u2eff])/gu, ' $1 ');
  out = out.replace(/([\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f])/gu, ' $1 ');
  out = out.replace(/([\u3200-\u3f22])/gu, ' $1 ');
  // Kana runs are split only when they make up the whole line (Python's ^ and $ without MULTILINE).
  out = out.replace(/(^|^[\u3040-\u309f])([\u3040-\u309f]+)(?=$|^[\u3040-\u309f])/gu, '$1 $2 ');
  out = out.replace(/(^|^[\u30a0-\u30ff])([\u30a0-\u30ff]+)(?=$|^[\u30a0-\u30ff])/gu, '$1 $2 ');
  out = out.replace(/(^|^[\u31f0-\u31ff])([\u31f0-\u31ff]+)(?=$|^[\u31f0-\u31ff])/gu, '$1 $2 ');
  return out.replace(ASIAN_PUNCT, ' $1 ').replace(FULL_WIDTH_PUNCT, ' $1 ');
}

/**
 * Tokenizes one line as sacreBLEU's TercomTokenizer: lowercased unless `caseSensitive`; with `normalized`,
 * hyphenated line ends joined, four XML entities unescaped, ASCII punctuation split off (possessive 's
 * kept together, "." and "," only away from digits) and, with `asianSupport`, CJK characters split; with
 * `noPunct`, .,?:;!"() deleted (and CJK punctuation with `asianSupport`). Returns the tokens; an empty
 * line gives none.
 */
export function tokenizeTercom(line: string, settings: TercomSettings): string[] {
  if (line === '') return [];
  let out = settings.caseSensitive ? line : line.toLowerCase();
  if (settings.normalized) {
    out = normalizeGeneralAndWestern(out);
    if (settings.asianSupport) out = normalizeAsian(out);
  }
  if (settings.noPunct) {
    out = out.replace(/[.,?:;!"()]/gu, '');
    if (settings.asianSupport) out = out.replace(ASIAN_PUNCT, '').replace(FULL_WIDTH_PUNCT, '');
  }
  return splitPython(out);
}
