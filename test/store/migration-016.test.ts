// Migration 016 (agendas and attendance join the closed database; issue 15: 1) on a store made as the code
// before it made one: schema 015 and a closed database at its third schema, sealing the fifteen tables it
// then sealed. The proving store, plus agenda and attendance content carrying CLOSED_MARKER: on its closed
// meeting an attendee, an item added and removed, a reorder and a raise of the closed-only case; on an open
// meeting an item and a raise about a case marked closed-only afterwards (their marks follow the case's).
// The first unlock by a manager runs 016 and the closed database's 004 and moves that content there: every
// row of every table and every audit entry is still there, the chain verifies, the meetings and proposals
// read as before, the rows are blank in the open file read with the raw key, and the content is gone from
// its pages.
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { closedStoreOptions } from '../../src/store/closed-store.js';
import { SEALED_TABLES } from '../../src/store/closed-tables.js';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { asBefore018, expectGoneFromOpenPages, upgradeAsManager } from './upgrade.js';

import { CLOSED_MARKER, call, provingStore } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { openRaw } from '../vault/raw.js';

const BEFORE = MIGRATIONS.filter((m) => m.version <= 15);
/** What the code before 016 sealed: the first fifteen tables, under the closed database's third schema. */
const CLOSED_BEFORE = closedStoreOptions(
  asBefore018(SEALED_TABLES.slice(0, 15)),
  CLOSED_MIGRATIONS.filter((m) => m.version <= 3),
);
const M = CLOSED_MARKER;
/** The agenda and attendance content planted below, each as it lands in a page. */
const SEALED_TEXT = [
  `${M} attendee`, // a closed meeting's attendee's name
  `${M} role`, // and role
  `${M} title`, // an item of a closed meeting: its title,
  `${M} added`, // why it was added,
  `${M} removed`, // and why it was removed
  `${M} reorder`, // why a closed meeting's agenda was reordered
  `${M} raised`, // why the closed-only case was raised for the closed meeting
  `${M} spare item`, // an item about a case marked closed-only later, at an open meeting
  `${M} spare raised`, // and that case's raise for the open meeting
];

async function plantAgenda(host: Host, store: Awaited<ReturnType<typeof provingStore>>) {
  const closed = store.meetings.closed;
  await call(host, 'meetings.addAttendee', {
    meetingId: closed,
    name: `${M} attendee`,
    role: `${M} role`,
    organisationId: store.organisations.police.id,
  });
  const { item } = await call(host, 'meetings.addAgendaItem', {
    meetingId: closed,
    kind: 'other',
    title: `${M} title`,
    reason: `${M} added`,
  });
  const { agenda } = await call(host, 'meetings.removeAgendaItem', { meetingId: closed, agendaItemId: item.id, reason: `${M} removed` });
  await call(host, 'meetings.reorderAgenda', {
    meetingId: closed,
    agendaItemIds: agenda.map((i) => i.id).reverse(),
    reason: `${M} reorder`,
  });
  await call(host, 'meetings.raiseCase', { meetingId: closed, caseId: store.closedCase, reason: `${M} raised` });
  const open = store.meetings.reorder;
  await call(host, 'meetings.addAgendaItem', { meetingId: open, caseId: store.spareCase, reason: `${M} spare item` });
  await call(host, 'meetings.raiseCase', { meetingId: open, caseId: store.spareCase, reason: `${M} spare raised` });
  await call(host, 'cases.update', { caseId: store.spareCase, closedOnly: true });
}

/** What a manager reads of the meetings whose agenda and attendance carry sealed content. */
async function readings(host: Host, store: Awaited<ReturnType<typeof provingStore>>) {
  const out = [];
  for (const meetingId of [store.meetings.closed, store.meetings.reorder, store.meetings.scheduled]) {
    const { meeting } = await call(host, 'meetings.get', { meetingId });
    const { proposals } = await call(host, 'meetings.proposeAgenda', { meetingId });
    out.push({ meeting, proposals });
  }
  return out;
}

describe('migration 016: agendas and attendance sealed, on a store made before it', () => {
  it('keeps every row and audit entry, verifies, reads the same, and takes their closed-only content out of the open store', async () => {
    const dataDir = tempDir();
    const old = new Host(dataDir, { kdf: FAST_KDF, migrations: BEFORE, closed: CLOSED_BEFORE });
    const store = await provingStore(old);
    await plantAgenda(old, store);
    const before = await readings(old, store);
    // The readings can fail: they hold the planted content (but the open meeting's raise, of a case now closed-only).
    const shown = JSON.stringify(before);
    for (const text of [`${M} attendee`, `${M} title`, `${M} removed`, `${M} raised`, `${M} spare item`])
      expect(shown, text).toContain(text);
    await call(old, 'session.lock');
    await old.close();

    const { host, pragma } = await upgradeAsManager(dataDir, SEALED_TEXT, (h) => readings(h, store), before);
    const raw = await openRaw(dataDir, host.vault!.rawKeyPragma());
    try {
      // Every row of a closed meeting, or about a closed-only case, is sealed and blank; the open meeting's others are not.
      const rows = (table: string, columns: string) =>
        raw.all<Record<string, unknown>>(`SELECT ${columns}, sealed FROM ${table} WHERE meeting_id IN (?, ?) ORDER BY sealed, id`, [
          store.meetings.closed,
          store.meetings.reorder,
        ]);
      const attendees = await rows('meeting_attendees', 'meeting_id, name, role');
      expect(attendees.filter((r) => r.meeting_id === store.meetings.closed)).toEqual(
        Array.from({ length: 3 }, () => ({ meeting_id: store.meetings.closed, name: '', role: '', sealed: 1 })),
      );
      const items = await rows('agenda_items', 'meeting_id, case_id, title, proposal_reasons, added_reason, removed_reason');
      expect(items.filter((r) => r.sealed === 1)).toEqual([
        ...[store.closedCase, null].map((caseId, i) => ({
          meeting_id: store.meetings.closed,
          case_id: caseId,
          title: '',
          proposal_reasons: '[]',
          added_reason: '',
          removed_reason: i === 0 ? null : '',
          sealed: 1,
        })),
        {
          meeting_id: store.meetings.reorder,
          case_id: store.spareCase,
          title: '',
          proposal_reasons: '[]',
          added_reason: '',
          removed_reason: null,
          sealed: 1,
        },
      ]);
      // The open meeting's items about open cases and general business stay whole.
      expect(items.filter((r) => r.sealed === 0).map((r) => r.meeting_id)).toEqual([store.meetings.reorder, store.meetings.reorder]);
      expect(await rows('agenda_reorders', 'meeting_id, reason')).toEqual([{ meeting_id: store.meetings.closed, reason: '', sealed: 1 }]);
      expect(await rows('meeting_case_raises', 'meeting_id, reason')).toEqual([
        { meeting_id: store.meetings.closed, reason: '', sealed: 1 },
        { meeting_id: store.meetings.reorder, reason: '', sealed: 1 },
      ]);
    } finally {
      await raw.close();
    }
    await expectGoneFromOpenPages(host, dataDir, pragma, SEALED_TEXT);
  });
});
