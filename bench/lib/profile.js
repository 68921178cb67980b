// CPU profiles of one extra repetition (npm run bench -- --profile): in a page through CDP, in Node through the inspector.
// Each is written to bench/.work/profiles/<name>.cpuprofile with a self-time summary beside it (<name>.txt).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { summarizeProfile } from './profile-summary.js';

function save(work, name, profile, distFolder) {
  const folder = join(work, 'profiles');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
  const rows = summarizeProfile(profile, 15, distFolder);
  writeFileSync(join(folder, `${name}.txt`), rows.map((row) => `${String(row.share).padStart(5)}%  ${String(row.selfMs).padStart(8)} ms  ${row.name}  ${row.where}`).join('\n') + '\n');
  return rows;
}

/** Profiles `run()` in a Playwright page (sampling every 100 µs); resolves with run's result and the top self-time rows. */
export async function profileInPage(context, page, { work, name, distFolder }, run) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  return { result, rows: save(work, name, profile, distFolder) };
}

/** Profiles `run()` in this Node process through the inspector; resolves with run's result and the top self-time rows. */
export async function profileInNode({ work, name, distFolder }, run) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const result = await run();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return { result, rows: save(work, name, profile, distFolder) };
}

/** Formats the top rows of a profile summary as one line for the log and the results entry. */
export function topOf(rows, count = 5) {
  return rows
    .filter((row) => !/^\((idle|program)\)$/.test(row.name))
    .slice(0, count)
    .map((row) => `${row.share}% ${row.name === '(anonymous)' || /^[a-zA-Z]{1,2}$/.test(row.name) ? '' : `${row.name} `}${row.where}`.trim());
}
