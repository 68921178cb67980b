#!/usr/bin/env node
// A real MLflow tracking server for the tests: a pinned `mlflow` in a git-ignored virtualenv (.venv-mlflow/,
// installed once and kept), `mlflow server` on 127.0.0.1 at a free port with a SQLite database and an
// artifacts folder in a temporary directory, started, checked at /health, and stopped after.
//
//   node scripts/mlflow-server.js [--origin <page origin>]... [-- <command> [args…]]
//
// With a command, runs it with PLUGBOARD_MLFLOW_URL, PLUGBOARD_MLFLOW_DB and PLUGBOARD_MLFLOW_STATE set and
// exits with its status; without one, prints the URL and serves until interrupted. The server's log is kept
// (and its path printed) when the command or the server fails.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The MLflow the tests run against: ≥ 3.5 for the CORS flags; the newest 3.17 installs on Python 3.11. */
export const MLFLOW_PIN = 'mlflow==3.17.2';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The virtualenv holding the pinned MLflow, at the repository root and ignored by git. */
export const VENV = join(ROOT, '.venv-mlflow');
const PIN_MARK = join(VENV, 'plugboard-pin.txt');
const RESET_SCRIPT = join(ROOT, 'scripts', 'mlflow-reset.py');
// A database the server made and migrated once; each server starts on a copy, skipping the migrations.
const TEMPLATE_DB = join(VENV, 'template.db');

/** The Python of the virtualenv (where `mlflow`, the client, is importable). */
export const PYTHON = join(VENV, 'bin', 'python');

function run(command, args, what) {
  const outcome = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (outcome.error || outcome.status !== 0) {
    throw new Error(`${what} failed (${command} ${args.join(' ')}: ${outcome.error?.message ?? `exit ${outcome.status}`})`);
  }
}

/**
 * Creates the virtualenv and installs the pinned MLflow unless it is already there with that pin; a fresh
 * machine without `python3 -m venv` gets a message naming the Debian package to install.
 */
export function ensureMlflow() {
  if (existsSync(PIN_MARK) && readFileSync(PIN_MARK, 'utf8').trim() === MLFLOW_PIN && existsSync(join(VENV, 'bin', 'mlflow'))) return;
  const python = process.env['PYTHON'] ?? 'python3';
  console.error(`[mlflow] installing ${MLFLOW_PIN} into ${VENV} (once; kept for later runs)`);
  rmSync(VENV, { recursive: true, force: true });
  const venv = spawnSync(python, ['-m', 'venv', VENV], { encoding: 'utf8' });
  if (venv.error || venv.status !== 0) {
    throw new Error(
      `could not create a virtualenv with ${python} -m venv (${venv.error?.message ?? venv.stderr.trim()}). ` +
        'Install Python 3.10+ with its venv module (on Debian: apt-get install python3-venv).',
    );
  }
  run(join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', MLFLOW_PIN], `pip install ${MLFLOW_PIN}`);
  writeFileSync(PIN_MARK, `${MLFLOW_PIN}\n`);
}

/** A port nobody listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, logPath, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited with status ${child.exitCode} before it was healthy; log: ${logPath}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`mlflow server at ${url} was not healthy within ${timeoutMs / 1000} s; log: ${logPath}`);
}

/**
 * Starts `mlflow server` on 127.0.0.1 at a free port, with a fresh SQLite database and artifacts folder in a
 * temporary directory and `origins` allowed for CORS; resolves at once with
 * `{ url, db, state, dir, logPath, ready, stop(keepLog) }`, where `ready` settles once /health answers and the
 * first state is recorded (the `state` file exists from then on). `stop(true)` keeps the directory and log.
 */
export async function launchMlflowServer({ origins = [], timeoutMs = 240_000 } = {}) {
  ensureMlflow();
  const dir = mkdtempSync(join(tmpdir(), 'plugboard-mlflow-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const db = join(dir, 'mlflow.db');
  const state = join(dir, 'first-state.json');
  const logPath = join(dir, 'server.log');
  const fromTemplate = existsSync(TEMPLATE_DB);
  if (fromTemplate) copyFileSync(TEMPLATE_DB, db);
  const log = openSync(logPath, 'a');
  const args = [
    'server', '--host', '127.0.0.1', '--port', String(port),
    '--backend-store-uri', `sqlite:///${db}`,
    '--artifacts-destination', join(dir, 'artifacts'),
    '--workers', '1',
  ];
  if (origins.length) args.push('--cors-allowed-origins', origins.join(','));
  const child = spawn(join(VENV, 'bin', 'mlflow'), args, {
    cwd: dir,
    stdio: ['ignore', log, log],
    detached: true,
    // The job runner (a dozen worker processes for GenAI jobs) serves nothing the tests use.
    env: { ...process.env, MLFLOW_TRACKING_URI: '', MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', PYTHONUNBUFFERED: '1' },
  });
  closeSync(log);
  let stopped = false;
  const stop = async (keepLog = false) => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    if (keepLog) console.error(`[mlflow] server log kept: ${logPath}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  const ready = (async () => {
    try {
      await waitForHealth(url, child, logPath, timeoutMs);
      const snapshot = spawnSync(PYTHON, [RESET_SCRIPT, 'snapshot', db, state, ...(fromTemplate ? [] : [TEMPLATE_DB])], { encoding: 'utf8' });
      if (snapshot.status !== 0) throw new Error(`could not read the new database ${db}: ${snapshot.stderr}`);
    } catch (error) {
      writeFileSync(join(dir, 'failed.txt'), error.message);
      await stop(true);
      throw error;
    }
  })();
  ready.catch(() => {});
  return { url, db, state, dir, logPath, ready, stop };
}

/** Starts a server as `launchMlflowServer` does and resolves once it is ready. */
export async function startMlflowServer(options = {}) {
  const server = await launchMlflowServer(options);
  await server.ready;
  return server;
}

/**
 * Waits for a server launched by another process (`node scripts/mlflow-server.js -- …`) to be ready: its state
 * file appears once it is; a failed start leaves failed.txt beside it instead.
 */
export async function waitForLaunchedServer({ state }, timeoutMs = 240_000) {
  const failed = join(dirname(state), 'failed.txt');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(state)) return;
    if (existsSync(failed)) throw new Error(`the MLflow server did not start: ${readFileSync(failed, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the MLflow server was not ready within ${timeoutMs / 1000} s (state file ${state})`);
}

/** Puts a test server's database back to its first state (only the default experiment, nothing else). */
export function resetMlflowServer({ db, state }) {
  const outcome = spawnSync(PYTHON, [RESET_SCRIPT, 'reset', db, state], { encoding: 'utf8' });
  if (outcome.status !== 0) throw new Error(`could not reset the MLflow database ${db}: ${outcome.stderr || outcome.error?.message}`);
}

/** Runs a Python script with the virtualenv's MLflow client pointed at `trackingUri`; resolves with its stdout. */
export function runMlflowPython(trackingUri, script, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', script, ...args], { env: { ...process.env, MLFLOW_TRACKING_URI: trackingUri } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(`python exited with ${status}: ${err.trim().split('\n').slice(-5).join('\n')}`))));
  });
}

async function main(argv) {
  const split = argv.indexOf('--');
  const options = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  const origins = [];
  for (let index = 0; index < options.length; index++) {
    if (options[index] === '--origin') origins.push(options[++index]);
    else throw new Error(`unknown option ${options[index]}; usage: node scripts/mlflow-server.js [--origin <origin>]... [-- <command>...]`);
  }
  // The e2e page's origin is fixed here, so the server can name it (playwright.config.ts keeps these ports).
  process.env['PB_APP_PORT'] ??= String(await freePort());
  process.env['PB_CDN_PORT'] ??= String(await freePort());
  origins.push(`http://localhost:${process.env['PB_APP_PORT']}`);
  // The command starts at once; the tests that need the server wait for it (waitForLaunchedServer).
  const server = await launchMlflowServer({ origins });
  console.error(`[mlflow] starting ${server.url} (${MLFLOW_PIN}, data in ${server.dir})`);
  const env = { ...process.env, PLUGBOARD_MLFLOW_URL: server.url, PLUGBOARD_MLFLOW_DB: server.db, PLUGBOARD_MLFLOW_STATE: server.state };
  const onSignal = () => void server.stop(false).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (command.length === 0) {
    await server.ready;
    console.log(server.url);
    setInterval(() => {}, 1 << 30); // serve until a signal stops it
    return;
  }
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const serverFailed = await server.ready.then(() => false, () => true);
  await server.stop(status !== 0 || serverFailed);
  process.exit(status);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`[mlflow] ${error.message}`);
    process.exit(1);
  });
}
