#!/usr/bin/env node
// The `plugboard` executable: runs the command line on this process's arguments and streams.
import { runCli } from './index.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});
