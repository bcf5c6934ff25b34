// The checkpoint after each consultation is the hot path of every read (issue 15, bench/audit): it is
// written with one fsync (the new key file's contents), without the folder's fsync that makes the rename
// itself outlive a power cut. Every other key-file write keeps both. The fsyncs are counted on node:fs
// itself (SQLite's own, for the log, are made inside the binding and are not counted here).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { auditHead } from '../../src/audit/log.js';
import { call, credentials, MANAGER, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { readKeyFileJson } from './raw.js';

const realFsync = fs.fsyncSync;
let fsyncs = 0;

function countFsyncs(): void {
  fsyncs = 0;
  fs.fsyncSync = (fd: number) => {
    fsyncs += 1;
    realFsync(fd);
  };
  syncBuiltinESMExports();
}

afterEach(() => {
  fs.fsyncSync = realFsync;
  syncBuiltinESMExports();
});

describe('checkpoint writes', () => {
  it('after a consultation: one fsync, and the key file holds the new head; a lock and an unlock still sync the folder', async () => {
    const { host } = await partnershipStore(newHost());
    countFsyncs();
    await call(host, 'organisations.list', {});
    expect(fsyncs).toBe(1);
    const head = (await auditHead(host.vault!.db))!;
    const own = readKeyFileJson(host.dataDir).checkpoints!.find((c) => c.username === MANAGER.username)!;
    expect({ seq: own.seq, hash: own.hash }).toEqual({ seq: head.seq, hash: head.hash });

    // The writes a crash must not undo: the lock's checkpoint and marker, the unlock's marker and checkpoint.
    fsyncs = 0;
    await call(host, 'session.lock');
    expect(fsyncs).toBeGreaterThanOrEqual(4);
    expect(fsyncs % 2).toBe(0);
    fsyncs = 0;
    await call(host, 'session.unlock', credentials(MANAGER));
    expect(fsyncs).toBeGreaterThanOrEqual(4);
    expect(fsyncs % 2).toBe(0);
  });
});
