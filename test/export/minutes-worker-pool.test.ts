// The export worker pool: one worker, started by the first export and reused by the next; cancelling
// stops an export mid-way and the pool goes on; a worker that dies is replaced. Real worker threads
// running the build in dist/.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_REVIEW, type MinutesExportInput } from '../../src/export/minutes-model.js';
import type { ExportProgress } from '../../src/export/minutes-pdf.js';
import { ExportCancelled, MinutesWorkerPool } from '../../src/export/minutes-worker-pool.js';
import { seeded, syntheticMeeting } from '../../bench/support/synthetic-minutes.js';

function input(cases: number, paragraphs: number): MinutesExportInput {
  const { meeting, cases: meetingCases } = syntheticMeeting(seeded(cases), 2, cases, paragraphs);
  return {
    meeting,
    cases: meetingCases,
    audience: 'open',
    review: EMPTY_REVIEW,
    recipients: ['Northfield partnership'],
    organisation: 'Northfield CSP',
    exportedAt: '2026-03-07T09:00:00.000Z',
    auditHead: 'ab'.repeat(32),
  };
}

/** Resolves at the first progress event of the phase: the export is then under way in the worker. */
function when(phase: ExportProgress['phase']) {
  let reached!: () => void;
  const promise = new Promise<void>((resolve) => (reached = resolve));
  return { promise, onProgress: (p: ExportProgress) => p.phase === phase && reached() };
}

beforeAll(() => {
  if (!existsSync(new URL('../../dist/src/export/minutes-worker.js', import.meta.url))) throw new Error('run npm run build first');
});

describe('minutes worker pool', () => {
  it('starts one worker on the first export, reuses it for the next, and gives the same bytes', async () => {
    const pool = new MinutesWorkerPool();
    try {
      expect(pool.started).toBe(0);
      const progress: ExportProgress[] = [];
      const first = await pool.export(input(3, 2), (p) => progress.push(p));
      // Another meeting in between: what the worker keeps between exports (compiled patterns, measured
      // words, shaped glyphs) must not change the next file.
      const other = await pool.export(input(4, 3));
      const second = await pool.export(input(3, 2));
      expect(pool.started).toBe(1);
      expect(other.pdf.equals(first.pdf)).toBe(false);
      expect(second.pdf.equals(first.pdf)).toBe(true);
      // The worker hashes the file for the disclosure record.
      expect(first.sha256).toBe(createHash('sha256').update(first.pdf).digest('hex'));
      expect(first.timings.pdf).toBeGreaterThan(0);
      expect(first.redactions).toBeGreaterThan(10);
      // Progress: the model, then layout as blocks are done, then pages, then done; never backwards in a phase.
      expect(progress[0]).toEqual({ phase: 'model', done: 0, total: 1 });
      expect(progress.at(-1)!.phase).toBe('done');
      const layout = progress.filter((p) => p.phase === 'layout');
      expect(layout.length).toBeGreaterThan(1);
      expect(layout.at(-1)!.done).toBe(layout.at(-1)!.total);
      expect(layout.every((p, i) => i === 0 || p.done > layout[i - 1]!.done)).toBe(true);
    } finally {
      await pool.dispose();
    }
  }, 60_000);

  it('cancels an export in flight (lock), and the next export starts a new worker', async () => {
    const pool = new MinutesWorkerPool();
    try {
      const layout = when('layout');
      const running = pool.export(input(40, 6), layout.onProgress);
      await layout.promise;
      await pool.close();
      await expect(running).rejects.toBeInstanceOf(ExportCancelled);
      // An abort signal does the same.
      const abort = new AbortController();
      const model = when('model');
      const aborted = pool.export(input(40, 6), model.onProgress, abort.signal);
      await model.promise;
      abort.abort();
      await expect(aborted).rejects.toThrow(/cancelled/);
      const after = await pool.export(input(2, 1));
      expect(after.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pool.started).toBe(3);
    } finally {
      await pool.dispose();
    }
    await expect(pool.export(input(2, 1))).rejects.toBeInstanceOf(ExportCancelled);
  }, 120_000);

  it('replaces a worker that dies: the export in flight fails, the next one runs', async () => {
    const pool = new MinutesWorkerPool();
    try {
      const layout = when('layout');
      const running = pool.export(input(40, 6), layout.onProgress);
      await layout.promise;
      // As if the thread crashed (out of memory, a native fault): it exits without answering.
      await (pool as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect(running).rejects.toThrow(/worker stopped/);
      const after = await pool.export(input(2, 1));
      expect(after.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pool.started).toBe(2);
    } finally {
      await pool.dispose();
    }
  }, 120_000);
});
