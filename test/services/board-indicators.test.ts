// The board audience of the minutes carries the partnership's outcome indicators for the meeting's area over
// the twelve months to its date: the same figures outcomes.indicators gives for that period (one function
// computes both), read back from the PDF with pdftotext; still no case row, reference or name.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, twelveMonthsTo } from '../../src/domain/enforcement.js';
import { foldString } from '../../src/domain/redaction.js';
import { newHost, tempDir } from '../support/store.js';
import { call, caseInput, createPerson, holdMeeting, inDays, meetingsStore, schedule } from '../support/partnership.js';

const dir = tempDir('board-indicators-');

function layoutText(base64: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** The figures on the PDF line that starts with `label` (the table's row for that indicator). */
function figuresOf(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.trim().startsWith(label));
  expect(line, `no line for ${label}`).toBeDefined();
  return line!
    .trim()
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
}

describe('board minutes: outcome indicators', () => {
  it('prints the indicators of the meeting’s area for the twelve months to its date, as outcomes.indicators counts them', async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const person = await createPerson(host);
    const { case: c } = await call(host, 'cases.create', caseInput([person]));
    const meeting = await schedule(host, s);
    await holdMeeting(host, s, meeting.id);
    await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId: c.id, reason: 'Review due' });

    const first = twelveMonthsTo(meeting.date);
    const activity = (kind: 'face_the_public' | 'community_tension', date: string, area = 'Northfield') =>
      call(host, 'activities.record', { kind, date, area, description: 'Ward walkabout' });
    await activity('face_the_public', first); // the first day: in
    await activity('face_the_public', addDays(first, -1)); // the day before: out
    await activity('face_the_public', inDays(-3));
    await activity('face_the_public', inDays(-3), 'Longbridge'); // another area: out
    await activity('community_tension', inDays(-30));
    await call(host, 'enforcement.record', {
      type: 'community_protection_warning',
      caseId: c.id,
      organisationId: s.organisations.police,
      issued: inDays(-40),
      served: inDays(-40),
    });
    await call(host, 'escalations.refer', {
      caseId: c.id,
      kind: 'task_and_finish_group',
      referredOn: inDays(-20),
      shared: 'Summary of the case',
      recipients: ['Task and Finish Group'],
    });

    const { pdfBase64 } = await call(host, 'minutes.export', {
      meetingId: meeting.id,
      audience: 'board',
      recipients: ['Partnership board'],
      exportedAt: '2026-03-07T09:00:00.000Z',
    });
    const text = layoutText(pdfBase64, 'board.pdf');
    const expected = await call(host, 'outcomes.indicators', { from: first, to: meeting.date, area: 'Northfield', granularity: 'quarter' });

    expect(text).toContain('Outcome indicators');
    expect(text.replace(/\s+/g, ' ')).toContain(`Northfield, ${first} to ${meeting.date}`);
    expect(expected.total).toMatchObject({ faceThePublic: 2, communityTension: 1, interventions: 2, escalations: 1 });
    expect(expected.total.enforcementByType).toEqual({ community_protection_warning: 1 });
    const columns = [...expected.rows, expected.total];
    expect(expected.rows.length).toBeGreaterThanOrEqual(4);
    const printed = (n: number | null) => (n === null ? '–' : String(n));
    expect(figuresOf(text, 'Face the Public')).toEqual(columns.map((r) => printed(r.faceThePublic)));
    expect(figuresOf(text, 'Community tension')).toEqual(columns.map((r) => printed(r.communityTension)));
    expect(figuresOf(text, 'Interventions')).toEqual(columns.map((r) => printed(r.interventions)));
    expect(figuresOf(text, 'Escalations')).toEqual(columns.map((r) => printed(r.escalations)));
    expect(figuresOf(text, 'Enforcement: Community')).toEqual(
      columns.map((r) => String(r.enforcementByType.community_protection_warning ?? 0)),
    );

    // Figures only: no case row, reference or name.
    const folded = foldString(text);
    for (const word of [c.reference, 'Jordan', 'Ellis', 'Lime Grove', 'WMP/2025/118842', 'Summary of the case', 'Ward walkabout'])
      expect(folded, word).not.toContain(foldString(word));

    // The other audiences do not carry the indicators.
    const open = await call(host, 'minutes.export', { meetingId: meeting.id, audience: 'open', recipients: ['Partnership board'] });
    expect(layoutText(open.pdfBase64, 'open.pdf')).not.toContain('Outcome indicators');
  });
});
