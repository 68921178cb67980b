// Summarises a V8 .cpuprofile (node --cpu-prof, or Chromium's Profiler domain): self time per function, top first.
// Usage: node bench/lib/profile-summary.js FILE.cpuprofile [top=25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Returns `[{ name, where, selfMs, share }]` sorted by self time, for the `top` functions of a profile object. */
export function summarizeProfile(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = (deltas[index + 1] ?? deltas[index] ?? 0) / 1000;
    total += delta;
    const frame = byId.get(id).callFrame;
    const key = `${frame.functionName || '(anonymous)'}\u0000${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
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
  const [file, top = '25'] = process.argv.slice(2);
  for (const row of summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(top))) {
    console.log(`${String(row.share).padStart(5)}%  ${String(row.selfMs).padStart(8)} ms  ${row.name}  ${row.where}`);
  }
}
