// Migration 018 (the closed-only spans of an open paragraph join the closed database; issue 15: 1) on a
// store made as the code before it made one: schema 015, with its closed database attached and every
// paragraph hidden whole already sealed, but the proving store's open draft paragraph still whole in the
// open store, its closed-only span carrying CLOSED_MARKER. The first unlock by a manager runs 018 and seals
// that paragraph: the open store keeps its open words around a filler of the span's length, the closed
// database its full text. Key holders read it whole, a non-statutory member reads what they read before,
// every row and audit entry is there, the chain verifies, and the span's words are gone from the open
// store's pages. The minutes exported for every audience read the same through pdftotext before and after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIENCES, type Audience } from '../../src/contract/audiences.js';
import { SEALED_SPAN_FILLER } from '../../src/domain/meetings.js';
import { Host } from '../../src/host/host.js';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { closedStoreOptions } from '../../src/store/closed-store.js';
import { SEALED_TABLES } from '../../src/store/closed-tables.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { asBefore018, upgradeAsManager } from './upgrade.js';
import { Vault } from '../../src/vault/vault.js';
import { decryptedPages } from '../support/decrypted-pages.js';
import { CLOSED_MARKER, NON_STATUTORY, actAs, call, provingStore } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { rawAll, rawKeyHex, unsealAsSlotHolder } from '../vault/raw.js';

const BEFORE = MIGRATIONS.filter((m) => m.version <= 15);
/** What the code before 018 sealed: paragraphs by `closed_content` alone, with a blank stub. */
const CLOSED_BEFORE = closedStoreOptions(
  asBefore018(SEALED_TABLES.slice(0, 15)),
  CLOSED_MIGRATIONS.filter((m) => m.version <= 3),
);
const M = CLOSED_MARKER;
/** The proving store's span (test/support/partnership.ts, plantMeetings). */
const SPAN = `${M}: PPU intelligence.`;
const SPAN_PARAGRAPH = `Open part. ${SPAN} Open again.`;

const EXPORTED_AT = '2026-03-07T09:00:00.000Z';
const pdfDir = mkdtempSync(join(tmpdir(), 'migration-018-'));
afterAll(() => rmSync(pdfDir, { recursive: true, force: true }));

/** The draft meeting's minutes as each audience's PDF reads, through pdftotext, the audit head taken out (it moves on with every call). */
async function exportedTexts(host: Host, meetingId: number): Promise<Record<Audience, string>> {
  const out = {} as Record<Audience, string>;
  for (const audience of AUDIENCES) {
    const { pdfBase64 } = await call(host, 'minutes.export', {
      meetingId,
      audience,
      recipients: ['Northfield partnership'],
      exportedAt: EXPORTED_AT,
    });
    const file = join(pdfDir, `${audience}.pdf`);
    writeFileSync(file, Buffer.from(pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    out[audience] = text.replace(/\d+:[0-9a-f]{64}/g, 'HEAD');
  }
  return out;
}

async function readings(host: Host, meetingIds: number[]) {
  const meetings = [];
  for (const meetingId of meetingIds) meetings.push((await call(host, 'meetings.get', { meetingId })).meeting.minutes);
  return meetings;
}

describe('migration 018: closed-only spans sealed, on a store made before it', () => {
  it('seals the open paragraph with a closed-only span, reads the same for every role, and keeps every row and audit entry', async () => {
    const dataDir = tempDir();
    const old = new Host(dataDir, { kdf: FAST_KDF, migrations: BEFORE, closed: CLOSED_BEFORE });
    const store = await provingStore(old);
    const meetingIds = [store.meetings.draft, store.meetings.approved, store.meetings.closed];
    const managerBefore = await readings(old, meetingIds);
    const pdfsBefore = await exportedTexts(old, store.meetings.draft);
    expect(pdfsBefore.closed).toContain(SPAN);
    expect(pdfsBefore.open).not.toContain(M);
    expect(JSON.stringify(managerBefore)).toContain(SPAN_PARAGRAPH);
    await actAs(old, 'non_statutory');
    const memberBefore = await readings(old, meetingIds.slice(0, 2));
    expect(JSON.stringify(memberBefore)).not.toContain(SPAN);
    await call(old, 'session.lock');
    await old.close();

    // The check can fail: before 018 the span's words are in the open store's pages.
    const { host, pragma } = await upgradeAsManager(dataDir, [SPAN], (h) => readings(h, meetingIds), managerBefore);
    expect(await exportedTexts(host, store.meetings.draft)).toEqual(pdfsBefore);
    await actAs(host, 'non_statutory');
    expect(await readings(host, meetingIds.slice(0, 2))).toEqual(memberBefore);
    await call(host, 'session.lock');
    await host.close();

    // Every paragraph with a span is sealed; the open one keeps its open words around the filler.
    const withSpans = await rawAll<{ text: string; sealed: number; closed_content: number }>(
      dataDir,
      pragma,
      'SELECT text, sealed, closed_content FROM minute_paragraphs p WHERE EXISTS (SELECT 1 FROM minute_spans s WHERE s.paragraph_id = p.id)',
    );
    expect(withSpans.length).toBeGreaterThan(0);
    expect(withSpans.filter((p) => p.sealed !== 1)).toEqual([]);
    expect(withSpans.filter((p) => p.closed_content === 0).map((p) => p.text)).toContain(
      `Open part. ${SEALED_SPAN_FILLER.repeat(SPAN.length)} Open again.`,
    );
    const pages = decryptedPages(Vault.paths(dataDir).database, rawKeyHex(pragma));
    expect(pages.some((p) => p.includes(SPAN))).toBe(false);
    // The non-statutory insider's key is the same open-store key: it reads no more than the stub.
    const insider = await unsealAsSlotHolder(dataDir, NON_STATUTORY.username, NON_STATUTORY.passphrase);
    expect(rawKeyHex(insider.pragma)).toBe(rawKeyHex(pragma));
  });
});
