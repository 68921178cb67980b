#!/usr/bin/env node
// The `plugboard` executable: runs the command line on this process's arguments and streams.
import { runCli } from './index.ts';

// Ctrl+C (and a service manager's TERM) stops a long-running command such as `plugboard dev` cleanly; a second one ends at once.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stop.abort();
    process.once(signal, () => process.exit(130));
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  signal: stop.signal,
});
