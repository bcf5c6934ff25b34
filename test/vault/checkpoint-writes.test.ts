// The checkpoint after each consultation is the hot path of every read (issue 15, bench/audit, and
// bench/backup, where a synchronous fsync of it stalled the window behind a backup's writes): it is
// written and fsync'd on the thread pool, so the main thread makes no fsync at all; the call still
// returns only once the key file holds the new head. Every other key-file write stays synchronous, with
// the folder's fsync too. The main thread's fsyncs are counted on node:fs itself (SQLite's own, for the
// log, are made inside the binding and are not counted here).
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
  it('after a consultation: no fsync on the main thread, and the key file holds the new head; a lock and an unlock still sync the folder', async () => {
    const { host } = await partnershipStore(newHost());
    countFsyncs();
    await call(host, 'organisations.list', {});
    expect(fsyncs).toBe(0);
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

  it('a background write overtaken by a later write is dropped, so the key file never goes back to older contents', async () => {
    const { host } = await partnershipStore(newHost());
    const vault = host.vault!;
    const head = (await auditHead(vault.db))!;
    // Start a background checkpoint claiming a later head, then, before it can land, a synchronous one
    // with the real head: the file must end with the synchronous one.
    const background = vault.writeCheckpoint({ ...head, seq: head.seq + 1000 }, { inBackground: true });
    await vault.writeCheckpoint(head);
    await background;
    const own = readKeyFileJson(host.dataDir).checkpoints!.find((c) => c.username === MANAGER.username)!;
    expect(own.seq).toBe(head.seq);
    // And the folder holds no left-over sibling.
    expect(fs.readdirSync(host.dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('background writes asked for together are shared, and the last state asked for lands', async () => {
    const { host } = await partnershipStore(newHost());
    const vault = host.vault!;
    const head = (await auditHead(vault.db))!;
    await Promise.all([1, 2, 3, 4].map((n) => vault.writeCheckpoint({ ...head, seq: head.seq + n }, { inBackground: true })));
    const own = readKeyFileJson(host.dataDir).checkpoints!.find((c) => c.username === MANAGER.username)!;
    expect(own.seq).toBe(head.seq + 4);
  });
});
