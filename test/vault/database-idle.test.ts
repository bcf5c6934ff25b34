// Database.idle: a backup's writes step aside while the store has a call in flight (its commit's fsync then
// does not queue behind the backup's bytes), but a steady stream of calls cannot starve the backup.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/vault/database.js';
import { tempDir } from '../support/store.js';

describe('Database.idle', () => {
  it('resolves at once with nothing queued, when the queue drains, or after its limit under a steady stream', async () => {
    const db = await Database.open(join(tempDir(), 'idle.db'), 'create');
    try {
      let start = performance.now();
      await db.idle(1000);
      expect(performance.now() - start).toBeLessThan(50);

      // One unit of 150 ms, then a second queued behind it: idle waits for both, not its 2 s limit.
      const first = db.exclusive(() => sleep(150));
      const second = db.exclusive(() => sleep(150));
      start = performance.now();
      await db.idle(2000);
      const waited = performance.now() - start;
      expect(waited).toBeGreaterThanOrEqual(290);
      expect(waited).toBeLessThan(1500);
      await Promise.all([first, second]);

      // A unit that fails still counts as finished.
      await db.exclusive(() => Promise.reject(new Error('refused'))).catch(() => undefined);
      start = performance.now();
      await db.idle(1000);
      expect(performance.now() - start).toBeLessThan(50);

      // Busy for longer than the limit: idle gives up waiting after it.
      const long = db.exclusive(() => sleep(1000));
      start = performance.now();
      await db.idle(100);
      const limited = performance.now() - start;
      expect(limited).toBeGreaterThanOrEqual(95);
      expect(limited).toBeLessThan(900);
      await long;
    } finally {
      await db.close();
    }
  });

  it('between: runs a step in a gap between units of work, which later units then wait for, or beside a unit that holds the queue too long', async () => {
    const db = await Database.open(join(tempDir(), 'between.db'), 'create');
    try {
      const order: string[] = [];
      const unit = (name: string, ms: number) =>
        db.exclusive(async () => {
          order.push(`${name} start`);
          await sleep(ms);
          order.push(`${name} end`);
        });
      // Queued while a unit runs: the step waits for it, then holds the queue, so the unit queued after the step began waits.
      const first = unit('first', 100);
      const step = db.between(1000, async () => {
        order.push('step start');
        await sleep(100);
        order.push('step end');
      });
      await sleep(150);
      const second = unit('second', 10);
      await Promise.all([first, step, second]);
      expect(order).toEqual(['first start', 'first end', 'step start', 'step end', 'second start', 'second end']);

      // A unit that holds the queue past the limit (as a key rotation waiting for the backup does): the step runs beside it.
      let release = (): void => undefined;
      const holding = db.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
      const start = performance.now();
      await db.between(100, () => sleep(1));
      const waited = performance.now() - start;
      expect(waited).toBeGreaterThanOrEqual(95);
      expect(waited).toBeLessThan(900);
      release();
      await holding;
    } finally {
      await db.close();
    }
  });
});
