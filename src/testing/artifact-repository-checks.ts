import type { ArtifactRepository } from '../artifacts/index.ts';
import { assertEqual, assertRejects, assertTrue, describeChecks, runChecks, type Check, type CheckResult, type TestFramework } from './check.ts';

const check = (name: string, run: (repository: ArtifactRepository) => Promise<void>): Check<ArtifactRepository> => ({ name, run });

async function bytesOf(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())];
}

async function textOf(repository: ArtifactRepository, path: string): Promise<string> {
  return (await repository.downloadArtifact(path)).text();
}

/** A repeatable pseudo-random byte pattern, so a mismatch anywhere in a big file shows. */
function patternBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(length));
  let state = 12345;
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/**
 * Artifact repository behaviours (MLflow's ArtifactRepository): each check gets a fresh, empty repository.
 * Paths are relative POSIX paths; directories are implicit.
 */
export const artifactRepositoryChecks: readonly Check<ArtifactRepository>[] = [
  check('logs a file and downloads the same bytes as a Blob of the same type', async (repository) => {
    await repository.logArtifact(new Blob(['hello, world'], { type: 'text/plain' }), 'notes/hello.txt');
    const blob = await repository.downloadArtifact('notes/hello.txt');
    assertTrue(blob instanceof Blob, 'downloadArtifact resolves with a Blob');
    assertEqual(await blob.text(), 'hello, world', 'downloaded text');
    assertEqual(blob.type, 'text/plain', 'downloaded type');
    assertEqual(blob.size, 12, 'downloaded size');
  }),
  check('round-trips every byte value and a multi-megabyte file exactly', async (repository) => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    await repository.logArtifact(new Blob([all]), 'bytes.bin');
    assertEqual(await bytesOf(await repository.downloadArtifact('bytes.bin')), [...all], 'all 256 byte values');
    const big = patternBytes(3 * 1024 * 1024 + 17);
    await repository.logArtifact(new Blob([big]), 'model/weights.bin');
    const back = new Uint8Array(await (await repository.downloadArtifact('model/weights.bin')).arrayBuffer());
    assertEqual(back.length, big.length, 'big file size');
    assertTrue(back.every((value, index) => value === big[index]), 'every byte of the big file comes back unchanged');
  }),
  check('accepts strings, ArrayBuffers and typed arrays as well as Blobs', async (repository) => {
    await repository.logArtifact('plain text', 'a.txt');
    await repository.logArtifact(new Uint8Array([1, 2, 3]).buffer, 'b.bin');
    await repository.logArtifact(new Uint8Array([9, 8, 7, 6]).subarray(1, 3), 'c.bin');
    assertEqual(await textOf(repository, 'a.txt'), 'plain text', 'string bytes');
    assertEqual(await bytesOf(await repository.downloadArtifact('b.bin')), [1, 2, 3], 'ArrayBuffer bytes');
    assertEqual(await bytesOf(await repository.downloadArtifact('c.bin')), [8, 7], 'typed-array view bytes');
  }),
  check('stores an empty file with size 0', async (repository) => {
    await repository.logArtifact(new Blob([]), 'empty.txt');
    assertEqual((await repository.downloadArtifact('empty.txt')).size, 0, 'empty download');
    assertEqual(await repository.listArtifacts(), [{ path: 'empty.txt', isDir: false, fileSize: 0 }], 'listing of the empty file');
  }),
  check('replaces a file logged again at the same path, bigger or smaller', async (repository) => {
    await repository.logArtifact('first version, rather long', 'f.txt');
    await repository.logArtifact('v2', 'f.txt');
    assertEqual(await textOf(repository, 'f.txt'), 'v2', 'replaced content');
    assertEqual(await repository.listArtifacts(), [{ path: 'f.txt', isDir: false, fileSize: 2 }], 'one entry with the new size');
  }),
  check('lists one directory level, sorted by path, directories with a null size', async (repository) => {
    await repository.logArtifacts({ 'b.txt': 'bb', 'a/x.txt': 'x', 'a/deep/y.txt': 'y', 'c/z.txt': 'z', 'a.txt': 'a', 'B.txt': 'B' });
    assertEqual(
      await repository.listArtifacts(),
      [
        { path: 'B.txt', isDir: false, fileSize: 1 },
        { path: 'a', isDir: true, fileSize: null },
        { path: 'a.txt', isDir: false, fileSize: 1 },
        { path: 'b.txt', isDir: false, fileSize: 2 },
        { path: 'c', isDir: true, fileSize: null },
      ],
      'root listing',
    );
  }),
  check('lists a subdirectory with paths relative to the root, a trailing slash allowed', async (repository) => {
    await repository.logArtifacts({ 'a/x.txt': 'x', 'a/deep/y.txt': 'y', 'a/deep/more/z.txt': 'z', 'ab/other.txt': 'o' });
    const expected = [
      { path: 'a/deep', isDir: true, fileSize: null },
      { path: 'a/x.txt', isDir: false, fileSize: 1 },
    ];
    assertEqual(await repository.listArtifacts('a'), expected, 'listing of "a"');
    assertEqual(await repository.listArtifacts('a/'), expected, 'listing of "a/"');
    assertEqual(await repository.listArtifacts('a/deep'), [
      { path: 'a/deep/more', isDir: true, fileSize: null },
      { path: 'a/deep/y.txt', isDir: false, fileSize: 1 },
    ], 'listing of "a/deep"');
  }),
  check('lists nothing for a missing directory, for a file path and for an empty repository', async (repository) => {
    assertEqual(await repository.listArtifacts(), [], 'empty repository');
    await repository.logArtifact('x', 'dir/file.txt');
    assertEqual(await repository.listArtifacts('nowhere'), [], 'missing directory');
    assertEqual(await repository.listArtifacts('dir/file.txt'), [], 'a file path');
  }),
  check('normalises "." segments and keeps spaces and non-ASCII names', async (repository) => {
    await repository.logArtifact('n', './données/./é t.txt');
    assertEqual(await repository.listArtifacts('données'), [{ path: 'données/é t.txt', isDir: false, fileSize: 1 }], 'normalised listing');
    assertEqual(await textOf(repository, 'données/é t.txt'), 'n', 'download by the normalised path');
  }),
  check('refuses "..", absolute paths, empty segments and an empty file path with INVALID_PARAMETER_VALUE', async (repository) => {
    for (const path of ['../escape.txt', 'a/../../b', '/abs.txt', 'a//b.txt', 'a/', '', '.', 'tab\there']) {
      await assertRejects(repository.logArtifact('x', path), 'INVALID_PARAMETER_VALUE', `logArtifact at ${JSON.stringify(path)}`);
    }
    await assertRejects(repository.downloadArtifact('../x'), 'INVALID_PARAMETER_VALUE', 'downloadArtifact("../x")');
    await assertRejects(repository.listArtifacts('/abs'), 'INVALID_PARAMETER_VALUE', 'listArtifacts("/abs")');
    await assertRejects(repository.deleteArtifacts('a/../..'), 'INVALID_PARAMETER_VALUE', 'deleteArtifacts("a/../..")');
    assertEqual(await repository.listArtifacts(), [], 'nothing was written');
  }),
  check('answers RESOURCE_DOES_NOT_EXIST for a missing file and INVALID_PARAMETER_VALUE for a directory', async (repository) => {
    await assertRejects(repository.downloadArtifact('missing.txt'), 'RESOURCE_DOES_NOT_EXIST', 'download of a missing file');
    await repository.logArtifact('x', 'dir/file.txt');
    await assertRejects(repository.downloadArtifact('dir'), 'INVALID_PARAMETER_VALUE', 'download of a directory');
    await assertRejects(repository.downloadArtifact('dir/other.txt'), 'RESOURCE_DOES_NOT_EXIST', 'download of a missing file in a directory');
  }),
  check('writes logArtifacts all or nothing when one path is invalid', async (repository) => {
    await assertRejects(repository.logArtifacts({ 'good.txt': 'g', '../bad.txt': 'b' }), 'INVALID_PARAMETER_VALUE', 'batch with "../bad.txt"');
    await assertRejects(repository.logArtifacts({ 'm.txt': 'm', 'm.txt/under.txt': 'u' }), 'INVALID_PARAMETER_VALUE', 'batch with a file under a file');
    assertEqual(await repository.listArtifacts(), [], 'nothing was written');
    await repository.logArtifacts({ 'one.txt': '1', 'two/2.txt': '2' });
    assertEqual((await repository.listArtifacts()).map((entry) => entry.path), ['one.txt', 'two'], 'a valid batch is written whole');
  }),
  check('refuses a file where a directory is, or under a file, and leaves the batch unwritten', async (repository) => {
    await repository.logArtifacts({ 'dir/inner.txt': 'i', 'file.txt': 'f' });
    await assertRejects(repository.logArtifact('x', 'dir'), 'INVALID_PARAMETER_VALUE', 'a file over a directory');
    await assertRejects(repository.logArtifact('x', 'file.txt/child.txt'), 'INVALID_PARAMETER_VALUE', 'a file under a file');
    await assertRejects(repository.logArtifacts({ 'new.txt': 'n', 'file.txt/child.txt': 'c' }), 'INVALID_PARAMETER_VALUE', 'a batch with a file under a file');
    assertEqual((await repository.listArtifacts()).map((entry) => entry.path), ['dir', 'file.txt'], 'the repository is unchanged');
    assertEqual(await textOf(repository, 'file.txt'), 'f', 'the file is unchanged');
  }),
  check('deletes one file and leaves its siblings', async (repository) => {
    await repository.logArtifacts({ 'd/a.txt': 'a', 'd/b.txt': 'b' });
    await repository.deleteArtifacts('d/a.txt');
    assertEqual(await repository.listArtifacts('d'), [{ path: 'd/b.txt', isDir: false, fileSize: 1 }], 'listing after delete');
    await assertRejects(repository.downloadArtifact('d/a.txt'), 'RESOURCE_DOES_NOT_EXIST', 'download of the deleted file');
  }),
  check('deletes a directory recursively without touching names that merely start the same', async (repository) => {
    await repository.logArtifacts({ 'a/x.txt': 'x', 'a/deep/y.txt': 'y', 'ab.txt': 'ab', 'a.txt': 'a', 'ab/z.txt': 'z' });
    await repository.deleteArtifacts('a');
    assertEqual((await repository.listArtifacts()).map((entry) => entry.path), ['a.txt', 'ab', 'ab.txt'], 'listing after deleting "a"');
    await assertRejects(repository.downloadArtifact('a/deep/y.txt'), 'RESOURCE_DOES_NOT_EXIST', 'a file of the deleted directory');
  }),
  check('deletes everything when no path is given, and ignores a missing path', async (repository) => {
    await repository.logArtifacts({ 'a/x.txt': 'x', 'b.txt': 'b' });
    await repository.deleteArtifacts('not/there');
    assertEqual((await repository.listArtifacts()).length, 2, 'a missing path deletes nothing');
    await repository.deleteArtifacts();
    assertEqual(await repository.listArtifacts(), [], 'listing after deleting the root');
    await repository.logArtifact('again', 'a/x.txt');
    assertEqual(await textOf(repository, 'a/x.txt'), 'again', 'the repository is usable after a full delete');
  }),
  check('names its root URI', async (repository) => {
    assertTrue(typeof repository.artifactUri === 'string' && repository.artifactUri.length > 0, `artifactUri is a non-empty string (received ${String(repository.artifactUri)})`);
  }),
];

/**
 * Registers the artifact-repository contract as tests of the given framework (Vitest's or Playwright's
 * `describe`/`it`); `makeRepository` must return a fresh, empty repository on each call.
 */
export function describeArtifactRepositoryConformance(makeRepository: () => Promise<ArtifactRepository>, framework: TestFramework): void {
  describeChecks('artifact repository conformance', artifactRepositoryChecks, makeRepository, framework);
}

/** Runs the artifact-repository contract without a test framework and reports each check. */
export function runArtifactRepositoryConformance(makeRepository: () => Promise<ArtifactRepository>): Promise<CheckResult[]> {
  return runChecks(artifactRepositoryChecks, makeRepository);
}
