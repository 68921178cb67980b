/**
 * `text` without the slashes at its end (and, with `ends: 'both'`, at its start). Linear on any text: a pattern
 * such as /\/+$/ is quadratic on a long run of slashes that does not end the text (seconds for 40,000), and
 * artifact URIs come from the server.
 */
export function trimSlashes(text: string, ends: 'end' | 'both' = 'end'): string {
  let start = 0;
  let end = text.length;
  if (ends === 'both') while (start < end && text.charCodeAt(start) === 47) start += 1;
  while (end > start && text.charCodeAt(end - 1) === 47) end -= 1;
  return text.slice(start, end);
}
