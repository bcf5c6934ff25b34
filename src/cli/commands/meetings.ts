// Meetings for people who script: a list, and one meeting's page as text (or JSON with --json). Both go
// through the dispatcher like every other call, so a non-statutory user gets open meetings only, with
// closed-only content already removed, and `show` needs a justification (it is a consultation).
import type { MeetingDetail, MeetingSummary } from '../../contract/ops/meetings.js';
import { ATTENDANCE_LABELS, FAILURE_REASON_LABELS, MEETING_KIND_LABELS, MINUTES_STATUS_LABELS } from '../../domain/meetings.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { parseJsonOption } from '../args.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { unwrap } from '../output.js';

/** Wide enough for any id (ids are up to 16 digits: src/store/ids.ts), so the columns line up. */
const ID_WIDTH = 16;

function summaryLine(m: MeetingSummary): string {
  const when = `${m.date} ${m.startTime}${m.endTime ? `-${m.endTime}` : ''}`;
  const flags = [m.closed ? 'closed' : 'open', m.status === 'cancelled' ? 'CANCELLED' : null].filter(Boolean).join(', ');
  return `${String(m.id).padStart(ID_WIDTH)}  ${when.padEnd(22)} ${MEETING_KIND_LABELS[m.kind].padEnd(15)} ${m.area.padEnd(20)} ${flags.padEnd(8)} minutes: ${MINUTES_STATUS_LABELS[m.minutesStatus].toLowerCase()}, chair ${m.chair.displayName}`;
}

/** The meeting page as plain text: details, register, agenda with the minutes of each item, actions. */
export function meetingText(m: MeetingDetail): string[] {
  const lines: string[] = [];
  lines.push(
    `${MEETING_KIND_LABELS[m.kind]}, ${m.area}: ${m.date} ${m.startTime}${m.endTime ? `-${m.endTime}` : ''}, ${m.online ? 'online' : (m.place ?? '')}`,
  );
  lines.push(
    `${m.closed ? 'Closed (statutory partners only)' : 'Open'} · chair ${m.chair.displayName} · minutes by ${m.minuteTaker.displayName} · ${m.status}`,
  );
  lines.push(`Quorum: ${m.quorum.met ? 'met' : `NOT MET (${m.quorum.shortfall.join('; ')})`}`);
  lines.push(
    `Minutes: ${MINUTES_STATUS_LABELS[m.minutes.status]}${m.minutes.approvedBy ? ` by ${m.minutes.approvedBy.displayName} at ${m.minutes.approvedAt}` : ''}`,
  );
  lines.push('', 'Attendance');
  for (const a of m.attendees) {
    const times = [a.arrivedAt && `arrived ${a.arrivedAt}`, a.leftAt && `left ${a.leftAt}`].filter(Boolean).join(', ');
    lines.push(
      `  ${a.name} (${a.organisation.name}${a.role ? `, ${a.role}` : ''}): ${ATTENDANCE_LABELS[a.attendance]}${times ? `, ${times}` : ''}${a.acknowledgement ? ', confidentiality acknowledged' : ''}`,
    );
  }
  lines.push('', 'Agenda and minutes');
  const minutes = new Map(m.minutes.items.map((i) => [i.agendaItemId, i]));
  for (const item of m.agenda) {
    lines.push(
      `  ${item.position}. ${item.title}${item.case ? ` (${item.case.subjects.join(', ')})` : ''}${item.removed ? ` — removed: ${item.removed.reason}` : ''}`,
    );
    const written = minutes.get(item.id);
    for (const p of written?.paragraphs ?? []) lines.push(`     ${p.closedOnly ? '[closed only] ' : ''}${p.text}`);
    for (const d of written?.decisions ?? []) {
      const change = d.caseStatus
        ? ` [status ${d.caseStatus.from} → ${d.caseStatus.to}]`
        : d.risk
          ? ` [risk ${d.risk.from} → ${d.risk.to}]`
          : '';
      lines.push(`     Decision${change}: ${d.text}`);
    }
    for (const x of written?.addenda ?? []) lines.push(`     Addendum by ${x.author.displayName} at ${x.at} (${x.reason}): ${x.text}`);
  }
  const actionLine = (a: MeetingDetail['actions'][number]) =>
    `  #${a.id} ${a.description} — ${a.ownerOrganisation.name}, ${a.officer}, due ${a.dueDate}: ${a.status.replace('_', ' ')}${a.failureReason ? ` (${FAILURE_REASON_LABELS[a.failureReason]})` : ''}${a.overdue ? ', OVERDUE' : ''}`;
  lines.push('', 'Actions agreed', ...m.actions.map(actionLine));
  if (m.actionsToReview.length > 0) lines.push('', 'Actions from earlier meetings to review', ...m.actionsToReview.map(actionLine));
  return lines;
}

export const meetingList: Command = {
  name: 'meeting list',
  usage: '[--filter JSON] --user NAME',
  summary: 'Lists meetings (latest first), e.g. --filter \'{"when":"upcoming","area":"Northfield"}\'.',
  details: 'The filter is the input of meetings.list: when (upcoming|past|all), area, kind (people|place), limit, offset.',
  options: ['filter'],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      const filter = ctx.options.filter === undefined ? {} : parseJsonOption(ctx.options.filter, 'filter');
      const page = unwrap(await dispatch(host, 'meetings.list', filter));
      ctx.out.data(page);
      for (const m of page.meetings) ctx.out.line(summaryLine(m));
      ctx.out.line(`${page.meetings.length} of ${page.total} meeting${page.total === 1 ? '' : 's'}.`);
    }),
};

export const meetingShow: Command = {
  name: 'meeting show',
  usage: 'ID --justification TEXT --user NAME',
  summary: 'Prints a meeting: details, attendance, agenda with the minutes of each item, addenda and actions.',
  details: 'Reading minutes is a consultation (DPA 2018 s62): say why with --justification.',
  options: ['justification'],
  args: { min: 1, max: 1 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      const raw = ctx.args[0]!;
      const meetingId = /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
      const justification = ctx.options.justification;
      const { meeting } = unwrap(await dispatch(host, 'meetings.get', { meetingId }, justification === undefined ? {} : { justification }));
      ctx.out.data({ meeting });
      for (const line of meetingText(meeting)) ctx.out.line(line);
    }),
};
