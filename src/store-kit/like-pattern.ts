/**
 * Compiles an SQL LIKE pattern into a test: `%` matches any run of characters (also none), `_` exactly one
 * character, and every other character only itself — a `.` or `*` in the pattern is literal, and there is
 * no escape character (as in SQLite's default LIKE). `caseInsensitive` gives ILIKE.
 */
export function compileLikePattern(pattern: string, caseInsensitive = false): (text: string) => boolean {
  if (!caseInsensitive && !/[%_]/.test(pattern)) return (text) => text === pattern;
  let source = '';
  for (const char of pattern) {
    if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else source += char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
  return (text) => regex.test(text);
}
