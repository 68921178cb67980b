// Summarises a V8 .cpuprofile (node --cpu-prof, or Chromium's Profiler domain): self time per function, top first,
// with minified frames of dist/ mapped back to their source file, line and name through the build's source maps.
// Usage: node bench/lib/profile-summary.js FILE.cpuprofile [top=25] [distFolder=dist]
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes a source map's `mappings` into, per generated line, a sorted list of [column, source, line, column, name]. */
function decodeMappings(map) {
  const lines = [];
  const state = [0, 0, 0, 0, 0];
  for (const line of map.mappings.split(';')) {
    state[0] = 0;
    const segments = [];
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      values.forEach((delta, index) => (state[index] += delta));
      segments.push(values.length >= 4 ? [state[0], state[1], state[2], state[3], values.length === 5 ? state[4] : -1] : [state[0], -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/** Returns a function mapping (file URL, 0-based line, column) to "source:line (name)" when a map is found. */
function sourceMapper(distFolder) {
  const maps = new Map();
  return (url, line, column) => {
    const file = join(distFolder, url.replace(/^.*?\/(dist|worker-dist)\//, ''));
    if (!/\/(dist|worker-dist)\//.test(url) || !existsSync(`${file}.map`)) return null;
    if (!maps.has(file)) {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
      maps.set(file, { map, lines: decodeMappings(map) });
    }
    const { map, lines } = maps.get(file);
    let found = null;
    for (const segment of lines[line] ?? []) {
      if (segment[0] > column) break;
      if (segment[1] >= 0) found = segment;
    }
    if (!found) return null;
    const name = found[4] >= 0 ? map.names[found[4]] : '';
    return `${map.sources[found[1]].replace(/^(\.\.\/)+/, '')}:${found[2] + 1}${name ? ` (${name})` : ''}`;
  };
}

/** Returns `[{ name, where, selfMs, share }]` sorted by self time, for the `top` functions of a profile object. */
export function summarizeProfile(profile, top = 25, distFolder = 'dist') {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const mapSource = sourceMapper(distFolder);
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = (deltas[index + 1] ?? deltas[index] ?? 0) / 1000;
    total += delta;
    const frame = byId.get(id).callFrame;
    const mapped = frame.url ? mapSource(frame.url, frame.lineNumber, frame.columnNumber) : null;
    const where = mapped ?? `${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName || '(anonymous)'}\u0000${where}`;
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => {
      const [name, where] = key.split('\u0000');
      return { name, where, selfMs: Number(ms.toFixed(1)), share: Number(((ms / total) * 100).toFixed(1)) };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top = '25', dist = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist')] = process.argv.slice(2);
  console.log(`${basename(file)}: self time by function`);
  for (const row of summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(top), dist)) {
    console.log(`${String(row.share).padStart(5)}%  ${String(row.selfMs).padStart(8)} ms  ${row.name}  ${row.where}`);
  }
}
