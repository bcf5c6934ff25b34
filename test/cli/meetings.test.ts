// `concordat meeting list|show` in a child process, as someone scripting would run them; the meeting is
// set up with `concordat call`, so the same commands show the contract reachable from the shell.
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/domain/risk.js';
import { REDACTED_TEXT } from '../../src/domain/meetings.js';
import { tempDir } from '../support/store.js';
import { MANAGER, STATUTORY } from '../support/partnership.js';
import { asManager, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

const CHARITY = { user: 'sam.charity', passphrase: 'kettle on for the volunteers' };
const asCharity = { CONCORDAT_PASSPHRASE: CHARITY.passphrase, CONCORDAT_USER: CHARITY.user };
const SECRET = 'Vantablue';

describe('concordat meeting', () => {
  it('lists meetings and shows one, with closed-only spans cut out for a non-statutory member', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const run = async (args: string[], env: Record<string, string> = asManager) => {
      const result = await cli(args, env);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const callJson = async <T>(operation: string, input: unknown) =>
      JSON.parse(await run(['call', operation, '--input', JSON.stringify(input)])) as T;
    await run(['org', 'add', 'West Midlands Police', '--statutory']);
    await run(['org', 'add', 'Northfield Residents Trust', '--non-statutory']);
    await run(['user', 'add', STATUTORY.username, '--name', STATUTORY.displayName, '--role', 'statutory', '--organisation-id', '2'], {
      ...asManager,
      CONCORDAT_NEW_PASSPHRASE: STATUTORY.passphrase,
    });
    await run(['user', 'add', CHARITY.user, '--name', 'Sam Charity', '--role', 'non_statutory', '--organisation-id', '3'], {
      ...asManager,
      CONCORDAT_NEW_PASSPHRASE: CHARITY.passphrase,
    });

    const date = addDays(localToday(), 7);
    const { meeting } = await callJson<{ meeting: { id: number } }>('meetings.schedule', {
      kind: 'people',
      area: 'Northfield',
      date,
      startTime: '10:00',
      place: 'Northfield Library',
      closed: false,
      chairId: 2,
      minuteTakerId: 1,
    });
    const closed = await callJson<{ meeting: { id: number } }>('meetings.schedule', {
      kind: 'people',
      area: 'Northfield',
      date,
      startTime: '14:00',
      place: `${SECRET} station`,
      chairId: 2,
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
      kind: 'other',
      title: 'The parade',
      reason: 'Standing item',
    });
    await callJson('minutes.start', { meetingId: meeting.id });
    const text = `Shops report groups after dark. ${SECRET} intelligence from the PPU.`;
    await callJson('minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [{ text, closedOnlySpans: [{ start: text.indexOf(SECRET), end: text.length }] }],
    });

    const listed = await run(['meeting', 'list']);
    expect(listed).toMatch(
      new RegExp(`^\\s+${meeting.id}\\s+${date} 10:00 +People meeting +Northfield +open +minutes: draft, chair PC Jones$`, 'm'),
    );
    expect(listed).toMatch(new RegExp(`^\\s+${closed.meeting.id}\\s+${date} 14:00 .* closed `, 'm'));
    expect(listed).toMatch(/^2 of 2 meetings\.$/m);

    const full = await run(['meeting', 'show', String(meeting.id), '--justification', 'Preparing the minutes']);
    expect(full).toContain(`     ${text}`);
    expect(full).toMatch(/^ {2}1\. The parade$/m);
    expect(full).toMatch(/Alex Manager \(Northfield Community Safety Team\): Present, confidentiality acknowledged/);

    const refused = await cli(['meeting', 'show', String(meeting.id)], asManager);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/JUSTIFICATION_REQUIRED/);

    const redacted = await run(['meeting', 'show', String(meeting.id), '--justification', 'Reading the open minutes'], asCharity);
    expect(redacted).toContain(`Shops report groups after dark. ${REDACTED_TEXT}`);
    expect(redacted).not.toContain(SECRET);
    const theirs = JSON.parse(await run(['meeting', 'list', '--json', '--filter', '{"when":"upcoming"}'], asCharity)) as {
      meetings: { id: number }[];
      total: number;
    };
    expect(theirs).toMatchObject({ total: 1, meetings: [{ id: meeting.id }] });
    const hidden = await cli(['meeting', 'show', String(closed.meeting.id), '--justification', 'Curious'], asCharity);
    expect(hidden.stderr).toMatch(/NOT_FOUND/);
    expect(hidden.stdout + hidden.stderr).not.toContain(SECRET);
  }, 120_000);
});
