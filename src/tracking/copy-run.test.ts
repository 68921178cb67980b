import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import type { RunCopyProgress } from './index.ts';

describe('copyRun progress', () => {
  it('reports each stage as it starts, each metric key and artifact by name, and done last', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const from = `idb://progress-source-${process.pid}`;
    const tracking = host.tracking({ uri: from });
    const run = await tracking.startRun({ runName: 'with-progress' });
    await tracking.logParams({ lr: 0.1 });
    await tracking.logMetrics({ loss: 0.5, accuracy: 0.8 }, 0);
    await tracking.logMetrics({ loss: 0.25 }, 1);
    await tracking.logArtifact(new Blob(['a']), 'a.txt');
    await tracking.logArtifact(new Blob(['b']), 'dir/b.txt');
    await tracking.endRun();

    const heard: RunCopyProgress[] = [];
    const copy = await host.copyRun({ runId: run.info.runId, from, to: `idb://progress-target-${process.pid}`, onProgress: (progress) => heard.push(progress) });

    expect(copy.metricPoints).toBe(3);
    expect(heard.map((progress) => progress.stage)).toEqual(['run', 'params', 'metrics', 'metrics', 'datasets', 'artifacts', 'artifacts', 'done']);
    const metrics = heard.filter((progress) => progress.stage === 'metrics');
    expect(metrics.map(({ done, total }) => [done, total])).toEqual([[0, 2], [1, 2]]);
    expect(metrics.map((progress) => progress.item).sort()).toEqual(['accuracy', 'loss']);
    expect(heard.filter((progress) => progress.stage === 'artifacts').map(({ done, total, item }) => [done, total, item])).toEqual([
      [0, 2, 'a.txt'],
      [1, 2, 'dir/b.txt'],
    ]);
  });
});
