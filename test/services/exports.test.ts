// minutes.export against a real store: the PDF for each audience read back with pdftotext and checked
// with qpdf, the disclosure entry with the file's SHA-256, and the same bytes for the same export time.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldString } from '../../src/domain/redaction.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { newHost, tempDir } from '../support/store.js';
import { actAs, call, createCase, createPerson, holdMeeting, meetingsStore, schedule } from '../support/partnership.js';

const EXPORTED_AT = '2026-03-07T09:00:00.000Z';
const dir = tempDir('minutes-export-');

function pdfText(base64: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
  return foldString(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).replace(/\s+/g, ' ');
}

describe('minutes.export', () => {
  it('writes each audience its version, logs the disclosure, and gives the same bytes for the same export time', async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const person = await createPerson(host, {
      givenName: 'Zoë',
      familyName: 'Ó Briain',
      aliases: ['Lulu'],
      dateOfBirth: '1990-05-17',
      addresses: [{ line1: '14 Lime Grove', town: 'Northfield', postcode: 'B31 2QT', ward: 'Longbridge' }],
      contacts: [
        { kind: 'phone', value: '07700 900123' },
        { kind: 'email', value: 'zoe@example.org' },
      ],
      identifiers: [{ scheme: 'police', value: 'WMP/2025/118842' }],
      household: [{ name: 'Łukasz Nowak', relationship: 'partner', dateOfBirth: null }],
    });
    const caseId = await createCase(host, [person]);
    const meeting = await schedule(host, s);
    await holdMeeting(host, s, meeting.id);
    const { item } = await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId, reason: 'Review due' });
    const planted = [
      'Zoë Ó Briain',
      'Lulu',
      '14 Lime Grove',
      'B31 2QT',
      '17/05/1990',
      '07700 900123',
      'zoe@example.org',
      'WMP/2025/118842',
      'Łukasz',
    ];
    const text = `ZOË Ó BRIAIN's partner Łukasz was present. "Lulu" lives at 14 Lime Grove, B31 2QT (DOB 17/05/1990). Call 07700 900123 or zoe@example.org; police ref WMP/2025/118842. Annual review agreed.`;
    await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [{ text }, { text: 'Intelligence Kestrelwing shared.', closedOnly: true }],
    });
    const exportAs = async (audience: 'closed' | 'open' | 'board') =>
      call(host, 'minutes.export', { meetingId: meeting.id, audience, recipients: ['Northfield partnership'], exportedAt: EXPORTED_AT });

    const closed = await exportAs('closed');
    const open = await exportAs('open');
    const board = await exportAs('board');
    const closedText = pdfText(closed.pdfBase64, 'closed.pdf');
    for (const p of planted) expect(closedText, p).toContain(foldString(p));
    expect(closedText).toContain('kestrelwing');
    for (const [name, result] of [
      ['open', open],
      ['board', board],
    ] as const) {
      const released = pdfText(result.pdfBase64, `${name}.pdf`);
      for (const p of planted) expect(released, `${name}: ${p}`).not.toContain(foldString(p));
      for (const word of ['zoe', 'briain', 'lime grove', 'kestrelwing', 'lukasz']) expect(released, `${name}: ${word}`).not.toContain(word);
      expect(released).toContain('official-sensitive');
    }
    const openText = pdfText(open.pdfBase64, 'open2.pdf');
    expect(openText).toContain('subject a');
    expect(openText).toContain('annual review agreed');
    expect(openText).toMatch(/ward longbridge/);
    expect(open.redactions).toBeGreaterThanOrEqual(planted.length);

    // Same meeting, review and export time: the same document but for the audit head on the title page,
    // which the first export's own disclosure entry moved on (byte-identity for equal inputs: test/export).
    const again = await exportAs('open');
    const withoutHead = (t: string) => t.replace(/audit log head at export \d+:[0-9a-f]{64}/, '');
    expect(withoutHead(pdfText(again.pdfBase64, 'again.pdf'))).toBe(withoutHead(openText));
    expect(again.sha256).not.toBe(open.sha256);
    expect(createHash('sha256').update(Buffer.from(open.pdfBase64, 'base64')).digest('hex')).toBe(open.sha256);

    const { entries } = await call(host, 'audit.query', { filter: { kind: 'disclosure', entityType: 'meeting' } });
    const entry = entries.find((e) => e.details.sha256 === open.sha256)!;
    expect(entry).toMatchObject({
      operation: 'minutes.export',
      recipients: ['Northfield partnership'],
      entityId: String(meeting.id),
      details: { audience: 'open' },
    });
    expect(entry.justification).toBeTruthy();
    expect(JSON.stringify(entries)).not.toMatch(/Briain|Lime Grove/);

    // The review: undo one automatic redaction, and the export writes it.
    const { redactions, texts } = await call(host, 'minutes.redactions', { meetingId: meeting.id, audience: 'open' });
    const alias = redactions.find((r) => r.match === 'Lulu')!;
    expect(alias).toMatchObject({ reason: 'alias', subject: 'Subject A', undone: false });
    // The texts a reviewer selects from: offsets count in them, and the closed-only paragraph is not there.
    const paragraph = texts.find((t) => t.textId === alias.textId)!;
    expect(paragraph.text.slice(alias.start, alias.end)).toBe('Lulu');
    expect(JSON.stringify(texts)).not.toContain('Kestrelwing');
    const annual = paragraph.text.indexOf('Annual review');
    const manual = await call(host, 'minutes.redactions', {
      meetingId: meeting.id,
      audience: 'open',
      review: { undone: [], added: [{ textId: paragraph.textId, start: annual, end: annual + 'Annual review'.length }] },
    });
    expect(manual.redactions.find((r) => r.reason === 'manual')).toMatchObject({ match: 'Annual review', undone: false });
    expect((await call(host, 'minutes.redactions', { meetingId: meeting.id, audience: 'closed' })).texts).toEqual([]);
    const reviewed = await call(host, 'minutes.export', {
      meetingId: meeting.id,
      audience: 'open',
      recipients: ['Chair'],
      exportedAt: EXPORTED_AT,
      review: { undone: [alias.key], added: [] },
    });
    expect(pdfText(reviewed.pdfBase64, 'reviewed.pdf')).toContain('lulu');
    expect(reviewed.sha256).not.toBe(open.sha256);

    // A non-statutory member may not export at all.
    await actAs(host, 'non_statutory');
    const refused = await dispatch(host, 'minutes.export', { meetingId: meeting.id, audience: 'open', recipients: ['Someone'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('reports its progress to minutes.exportStatus while it runs, and a lock cancels an export in flight cleanly', async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const person = await createPerson(host, { givenName: 'Zoë', familyName: 'Ó Briain' });
    const caseId = await createCase(host, [person]);
    const meeting = await schedule(host, s);
    await holdMeeting(host, s, meeting.id);
    const { item } = await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId, reason: 'Review due' });
    const sentence = 'Zoë Ó Briain was seen on Lime Grove; the housing officer will visit and report to the next meeting. ';
    await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: Array.from({ length: 200 }, (_, i) => ({ text: `${i + 1}. ${sentence.repeat(6)}` })),
    });
    expect(await call(host, 'minutes.exportStatus')).toMatchObject({ state: 'idle', progress: 0 });
    const input = { meetingId: meeting.id, audience: 'open' as const, recipients: ['Chair'], exportedAt: EXPORTED_AT };

    // Polled the way the Export tab polls it: the export holds the store's queue, the status does not wait for it.
    const seen: { state: string; progress: number }[] = [];
    const exporting = dispatch(host, 'minutes.export', input);
    let settled = false;
    void exporting.finally(() => (settled = true));
    while (!settled) {
      const status = await dispatch(host, 'minutes.exportStatus', {});
      if (status.ok) seen.push({ state: status.value.state, progress: status.value.progress });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await exporting).ok).toBe(true);
    const running = seen.filter((x) => x.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((x) => x.progress < 1)).toBe(true);
    expect(running.every((x, i) => i === 0 || x.progress >= running[i - 1]!.progress)).toBe(true);
    const done = await call(host, 'minutes.exportStatus');
    expect(done).toMatchObject({ state: 'done', progress: 1, phase: 'done', meetingId: meeting.id, audience: 'open' });
    expect(done.pages).toBeGreaterThan(5);

    // A lock (the idle timer, suspend) while an export runs: the export stops, nothing is disclosed, the lock
    // does not wait for the layout to finish.
    const cancelled = dispatch(host, 'minutes.export', input);
    for (
      let status = await call(host, 'minutes.exportStatus');
      status.state !== 'running';
      status = await call(host, 'minutes.exportStatus')
    ) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await host.lock('idle');
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await dispatch(host, 'minutes.exportStatus', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });

    // After unlocking, the next export starts a new worker.
    await actAs(host, 'manager');
    expect(await call(host, 'minutes.exportStatus')).toMatchObject({ state: 'idle' });
    const again = await call(host, 'minutes.export', input);
    expect(again.bytes).toBeGreaterThan(0);
    const { entries } = await call(host, 'audit.query', { filter: { kind: 'disclosure', entityType: 'meeting' } });
    const exports = entries.filter((e) => e.operation === 'minutes.export');
    expect(exports.map((e) => e.outcome)).toEqual(expect.arrayContaining(['ok', 'refused']));
    expect(exports.filter((e) => e.outcome === 'ok')).toHaveLength(2);
  }, 120_000);
});
