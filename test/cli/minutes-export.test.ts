// `concordat minutes export` in a child process: the file for each audience, checked with qpdf and read
// back with pdftotext; an existing file is never overwritten.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/domain/risk.js';
import { tempDir } from '../support/store.js';
import { MANAGER } from '../support/partnership.js';
import { asManager, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

describe('concordat minutes export', () => {
  it('writes the open minutes without the subject and the closed minutes with them', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const run = async (args: string[]) => {
      const result = await cli(args, asManager);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const callJson = async <T>(operation: string, input: unknown, justification?: string) =>
      JSON.parse(
        await run(['call', operation, '--input', JSON.stringify(input), ...(justification ? ['--justification', justification] : [])]),
      ) as T;
    const { person } = await callJson<{ person: { id: number } }>(
      'people.create',
      {
        givenName: 'Siân',
        familyName: 'Łopez-Hughes',
        dateOfBirth: '1988-02-29',
        addresses: [{ line1: '7 Canal Street', postcode: 'B12 9QR', ward: 'Digbeth' }],
      },
      'Referral for the Northfield People meeting',
    );
    const { case: created } = await callJson<{ case: { id: number } }>('cases.create', {
      subjectIds: [person.id],
      area: 'Northfield',
      summary: 'Noise.',
      concerns: ['youth_offending'],
      referral: {
        organisation: 'West Midlands Police',
        officer: 'PC Jones',
        date: '2025-10-01',
        reason: 'Reports.',
        consent: 'not_required',
      },
      risk: { personalHarm: 'low', communityHarm: 'medium', environmentalHarm: 'low', vulnerabilityFactors: [], reasons: 'Reports.' },
    });
    const { meeting } = await callJson<{ meeting: { id: number } }>('meetings.schedule', {
      kind: 'people',
      area: 'Northfield',
      date: addDays(localToday(), 7),
      startTime: '10:00',
      place: 'Library',
      chairId: 1,
      minuteTakerId: 1,
    });
    const { attendee } = await callJson<{ attendee: { id: number } }>('meetings.addAttendee', {
      meetingId: meeting.id,
      name: MANAGER.displayName,
      organisationId: 1,
      userId: 1,
      attendance: 'present',
    });
    await callJson('meetings.acknowledgeConfidentiality', { meetingId: meeting.id, attendeeId: attendee.id });
    const { item } = await callJson<{ item: { id: number } }>('meetings.addAgendaItem', {
      meetingId: meeting.id,
      caseId: created.id,
      reason: 'New referral',
    });
    await callJson('minutes.start', { meetingId: meeting.id });
    await callJson('minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [{ text: "SIÂN ŁOPEZ-HUGHES's neighbours at 7 Canal St complained; born 29 Feb 1988." }],
    });

    const dir = tempDir();
    const textOf = (file: string) => {
      execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
      return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    };
    const exportTo = (audience: string, file: string) =>
      run([
        'minutes',
        'export',
        '--meeting',
        String(meeting.id),
        '--audience',
        audience,
        '--recipient',
        'Northfield partnership',
        '--recipient',
        'Chair',
        '--justification',
        'Circulating the minutes',
        '--out',
        file,
        '--exported-at',
        '2026-03-07T09:00:00Z',
      ]);
    const open = join(dir, 'open.pdf');
    const closed = join(dir, 'closed.pdf');
    expect(await exportTo('open', open)).toMatch(/Wrote the open minutes to .*SHA-256 [0-9a-f]{64}/);
    await exportTo('closed', closed);
    expect(statSync(open).mode & 0o777).toBe(0o600);
    const openText = textOf(open);
    for (const gone of ['Siân', 'SIÂN', 'Łopez', 'ŁOPEZ', 'Canal', '1988', 'B12 9QR']) expect(openText).not.toContain(gone);
    expect(openText).toContain('Subject A');
    expect(openText).toContain('ward Digbeth');
    const closedText = textOf(closed);
    expect(closedText).toContain('SIÂN ŁOPEZ-HUGHES');
    expect(closedText).toContain('7 Canal St');

    const again = await cli(
      [
        'minutes',
        'export',
        '--meeting',
        String(meeting.id),
        '--audience',
        'open',
        '--recipient',
        'X',
        '--justification',
        'Again',
        '--out',
        open,
      ],
      asManager,
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
    const noAudience = await cli(
      ['minutes', 'export', '--meeting', String(meeting.id), '--audience', 'public', '--recipient', 'X', '--out', join(dir, 'x.pdf')],
      asManager,
    );
    expect(noAudience.stderr).toMatch(/--audience must be one of closed, open, board/);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  }, 120_000);
});
