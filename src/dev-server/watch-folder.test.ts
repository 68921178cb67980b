import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchFolder, type FolderWatch } from './watch-folder.ts';

let root: string;
let watching: FolderWatch | undefined;
let seen: string[];
/** Every file reported in the test, never reset. */
let all: string[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'plugboard-watch-'));
  await writeFile(join(root, 'metric.js'), 'export const a = 1;\n');
  seen = [];
  all = [];
});
afterEach(async () => {
  watching?.close();
  await rm(root, { recursive: true, force: true });
});

/** Resolves once `file` has been reported (the caller's own timeout stops a wait for one that never comes). */
async function reported(file: string): Promise<void> {
  while (!seen.includes(file)) await new Promise((resolve) => setTimeout(resolve, 10));
  seen = [];
}

/** Saves as editors that write beside the file and rename over it do. */
async function save(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp~`, text);
  await rename(`${path}.tmp~`, path);
}

describe('watchFolder', () => {
  it('reports every save of a file that editors rename over it, not only the first', async () => {
    watching = watchFolder(root, (file) => void (seen.push(file), all.push(file)), () => {});
    for (const value of [2, 3, 4]) {
      await save(join(root, 'metric.js'), `export const a = ${value};\n`);
      await reported('metric.js');
    }
    expect(all.filter((file) => file.endsWith('~'))).toEqual([]);
  });

  it('watches folders created later, and leaves hidden files and node_modules out', async () => {
    watching = watchFolder(root, (file) => void (seen.push(file), all.push(file)), () => {});
    await mkdir(join(root, 'lib'));
    await reported('lib');
    await writeFile(join(root, 'lib', 'helper.js'), 'export const b = 1;\n');
    await reported('lib/helper.js');
    await mkdir(join(root, 'node_modules'));
    await writeFile(join(root, '.env'), 'TOKEN=1');
    await writeFile(join(root, 'metric.js'), 'export const a = 5;\n');
    await reported('metric.js');
    expect(all.filter((file) => file.startsWith('.') || file.startsWith('node_modules'))).toEqual([]);
  });
});
