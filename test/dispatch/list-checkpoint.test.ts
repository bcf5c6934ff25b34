// A page of the case list (a supersedable read, typed at) answers once its audit entry is committed, while
// the key file's checkpoint of it is being written; every other consultation still answers only once the
// key file holds its head (src/dispatch/dispatcher.ts, finishInBackground; docs/threat-model.md). Real
// SQLCipher stores in temporary folders, the dispatcher as every transport calls it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { auditHead } from '../../src/audit/log.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { INCIDENT_LOG_FILE, type IncidentEntry } from '../../src/host/incident-log.js';
import type { Host } from '../../src/host/host.js';
import { createCase, createPerson, MANAGER, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { paths, readKeyFileJson } from '../vault/raw.js';

const LANE = 'window 1 case list@1';

async function searchStore() {
  const { host } = await partnershipStore(newHost());
  for (const familyName of ['Shah', 'Ellis']) await createCase(host, [await createPerson(host, { familyName })]);
  return host;
}

const entriesOf = (host: Host, operation: string) =>
  host.vault!.db.all<{ outcome: string }>('SELECT outcome FROM audit_log WHERE operation = ? ORDER BY seq', [operation]);

function incidents(dataDir: string): IncidentEntry[] {
  const text = readFileSync(join(dataDir, 'logs', INCIDENT_LOG_FILE), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as IncidentEntry);
}

describe("a page of the case list and the key file's checkpoint", () => {
  it('answers without waiting for the checkpoint, logged; a checkpoint that cannot be written is an incident, and any other consultation still fails on it', async () => {
    const host = await searchStore();
    const keyFile = paths(host.dataDir).keyFile;
    const saved = readFileSync(keyFile);
    // A folder where the key file was: every write of it fails at its last step (the rename over it).
    rmSync(keyFile);
    mkdirSync(keyFile);
    try {
      const search = await dispatch(host, 'cases.search', { query: 'Shah' }, { lane: LANE });
      expect(search.ok && search.value.cases.map((c) => c.subjects[0]?.familyName)).toEqual(['Shah']);
      const list = await dispatch(host, 'cases.list', {}, { lane: LANE });
      expect(list.ok && list.value.total).toBe(2);
      // Not a page of the list: its answer waits for its checkpoint, and so reports the failure.
      expect(await dispatch(host, 'organisations.list', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      await vi.waitFor(() =>
        expect(incidents(host.dataDir).map((i) => i.operation)).toEqual(expect.arrayContaining(['cases.search', 'cases.list'])),
      );
    } finally {
      rmSync(keyFile, { recursive: true });
      writeFileSync(keyFile, saved);
    }
    // Every answer given is in the log.
    expect(await entriesOf(host, 'cases.search')).toEqual([{ outcome: 'ok' }]);
    expect(await entriesOf(host, 'cases.list')).toEqual([{ outcome: 'ok' }]);
  });

  it('leaves the key file holding the head of the answered page, once written', async () => {
    const host = await searchStore();
    const before = readKeyFileJson(host.dataDir).checkpoints!.find((c) => c.username === MANAGER.username)!;
    const search = await dispatch(host, 'cases.search', { query: 'Ellis' }, { lane: LANE });
    expect(search.ok).toBe(true);
    const head = (await auditHead(host.vault!.db))!;
    expect(head.seq).toBeGreaterThan(before.seq);
    expect(await host.vault!.db.get('SELECT operation FROM audit_log WHERE seq = ?', [head.seq])).toEqual({ operation: 'cases.search' });
    await vi.waitFor(() => {
      const own = readKeyFileJson(host.dataDir).checkpoints!.find((c) => c.username === MANAGER.username)!;
      expect({ seq: own.seq, hash: own.hash }).toEqual({ seq: head.seq, hash: head.hash });
    });
  });
});
