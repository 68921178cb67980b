// sacreBLEU's default "13a" tokenizer (mteval-v13a), reproduced step by step.
import { splitPython } from './python-text.ts';

// The ASCII symbols 13a pads with spaces: {|}~ [\]^_` space!"#$%& ()*+ :;<=>?@ and /.
const SYMBOLS = /([{-~[-` -&(-+:-@/])/g;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/**
 * Tokenizes one line as sacreBLEU's `Tokenizer13a` does and returns its tokens: drops `<skipped>` and
 * `-\n`, turns newlines into spaces, unescapes `&quot; &amp; &lt; &gt;`, pads ASCII symbols, splits `.`
 * and `,` away from non-digits and `-` after a digit, then splits on Python whitespace. Non-ASCII
 * punctuation is never split; an empty or blank line gives no tokens.
 */
export function tokenize13a(line: string): string[] {
  let text = line;
  if (text.includes('<skipped>')) text = text.replaceAll('<skipped>', '');
  if (text.includes('\n')) text = text.replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  text = ` ${text} `
    .replace(SYMBOLS, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return splitPython(text);
}
