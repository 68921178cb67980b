// The Python reference side: installs its libraries (pip) and runs them as a child process.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const PYTHON = process.env.PYTHON ?? 'python3';

/**
 * Makes sure sacrebleu and rouge_score at the versions of `requirements` import; installs them with pip
 * when they do not. Returns `{ ok, versions }` or `{ ok: false, reason }` (never throws).
 */
export function ensurePythonReferences(requirements, { log = console.log } = {}) {
  const probe = () =>
    spawnSync(PYTHON, ['-c', 'import json, importlib.metadata as m; print(json.dumps({p: m.version(p) for p in ("sacrebleu", "rouge-score", "nltk")}))'], { encoding: 'utf8' });
  let result = probe();
  const wanted = /sacrebleu==([\d.]+)[\s\S]*rouge-score==([\d.]+)/.exec(readFileSync(requirements, 'utf8'));
  const fits = (output) => {
    try {
      const versions = JSON.parse(output);
      return !wanted || (versions.sacrebleu === wanted[1] && versions['rouge-score'] === wanted[2]);
    } catch {
      return false;
    }
  };
  if (result.status !== 0 || !fits(result.stdout)) {
    log(`  pip install -r ${requirements}`);
    const install = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', '-r', requirements], { encoding: 'utf8' });
    if (install.status !== 0) return { ok: false, reason: `pip install failed: ${install.stderr.trim().split('\n').at(-1)}` };
    result = probe();
  }
  if (result.status !== 0) return { ok: false, reason: `the Python references do not import: ${result.stderr.trim().split('\n').at(-1)}` };
  return { ok: true, versions: JSON.parse(result.stdout) };
}

/** Starts `script --serve` and resolves, once it is ready, with `request(command)` → its JSON answer, and `close()`. */
export async function startPythonServer(script) {
  const child = spawn(PYTHON, [script, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code) => {
    for (const settle of waiting.splice(0)) settle.reject(new Error(`the Python reference exited (code ${code})`));
  });
  const nextLine = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  await nextLine();
  return {
    request(command) {
      const answer = nextLine();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return answer;
    },
    close() {
      child.stdin.end();
      return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    },
  };
}
