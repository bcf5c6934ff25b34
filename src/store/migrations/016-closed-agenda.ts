// Agendas and attendance join the closed database (issue 15: 1; docs/closed-store.md). The agenda items of
// a closed meeting or about a closed-only case (title, proposal reasons, why added or removed), the reasons
// for reordering a closed meeting's agenda, why a case was raised for a closed meeting (or, at any meeting,
// a case that is closed-only), and the names and roles on a closed meeting's attendance register are
// what a non-statutory member is not shown (src/store/meetings.ts), so they are sealed as 015 sealed the
// minutes: each table gets `closed_content` (its meeting's `closed`, or its case's `closed_only`) kept in
// step by triggers on the row, on `meetings.closed` and on `cases.closed_only`, the `sealed` column, the
// partial indexes and the guards 015 gave the minutes tables. None of these rows has a mark of its own.
// The guards of approved minutes on these tables let sealing, unsealing and the derived mark through (they
// move or classify the content, they do not change it); an erasure still passes them. Invitees and
// confidentiality acknowledgements hold only ids and times (structure), so they stay as they are. None of
// this text is in a full-text index. Moving the content needs the closed key: it happens at the next unlock
// by a manager or statutory partner (src/store/closed-store.ts), not here.
import type { Migration } from '../../vault/migrate.js';

// The tables and content columns as they stood when this step was written (src/store/closed-tables.ts is
// the live list; a migration never changes once shipped). `all` is every column the approved-minutes guard
// watches: the table's own, as 004 made them, and `sealed` (not `closed_content`).
const NEWLY_SEALED = [
  {
    table: 'agenda_items',
    columns: ['title', 'proposal_reasons', 'added_reason', 'removed_reason'],
    all: [
      'id',
      'meeting_id',
      'position',
      'kind',
      'case_id',
      'title',
      'proposal_reasons',
      'added_reason',
      'added_by',
      'added_at',
      'removed_reason',
      'removed_by',
      'removed_at',
      'sealed',
    ],
  },
  { table: 'agenda_reorders', columns: ['reason'], all: ['id', 'meeting_id', 'item_ids', 'reason', 'by_user', 'at', 'sealed'] },
  {
    table: 'meeting_case_raises',
    columns: ['reason'],
    all: ['id', 'meeting_id', 'case_id', 'reason', 'raised_by', 'organisation_id', 'at', 'sealed'],
  },
  {
    table: 'meeting_attendees',
    columns: ['name', 'role'],
    all: [
      'id',
      'meeting_id',
      'name',
      'organisation_id',
      'role',
      'user_id',
      'attendance',
      'arrived_at',
      'left_at',
      'created_at',
      'created_by',
      'sealed',
    ],
  },
];

const meetingClosed = (meetingId: string) => `coalesce((SELECT vm.closed FROM meetings vm WHERE vm.id = ${meetingId}), 0)`;
const caseClosed = (caseId: string) => `coalesce((SELECT vc.closed_only FROM cases vc WHERE vc.id = ${caseId}), 0)`;

const byMeeting = (t: string) => `(${meetingClosed(`${t}.meeting_id`)} = 1)`;
const byMeetingOrCase = (t: string) => `(${meetingClosed(`${t}.meeting_id`)} = 1 OR ${caseClosed(`${t}.case_id`)} = 1)`;

/** Each derived mark: the rule (on the table's row by its name) and the columns it reads from the row. */
const DERIVED = [
  // src/store/meetings.ts: a closed meeting is hidden whole; an item about a closed-only case is hidden at any meeting.
  { table: 'agenda_items', rule: byMeetingOrCase, reads: ['meeting_id', 'case_id'] },
  { table: 'agenda_reorders', rule: byMeeting, reads: ['meeting_id'] },
  // Agenda proposals show the raises of the meeting's cases, and never a closed-only case at an open meeting.
  { table: 'meeting_case_raises', rule: byMeetingOrCase, reads: ['meeting_id', 'case_id'] },
  { table: 'meeting_attendees', rule: byMeeting, reads: ['meeting_id'] },
];

/** Sets the derived mark of `table`'s rows that `where` selects, where it is not already right. */
function recompute(table: string, where: string): string {
  const rule = DERIVED.find((d) => d.table === table)!.rule(table);
  return `UPDATE ${table} SET closed_content = ${rule} WHERE (${where}) AND closed_content IS NOT ${rule};`;
}

// The minutes rows an agenda item's case decides (015's agenda_items_closed_content_au, kept as it was).
const MINUTES_TABLES = ['minute_paragraphs', 'minute_decisions', 'minute_addenda'];
const itemCaseClosed = (itemId: string) =>
  `coalesce((SELECT vc.closed_only FROM agenda_items vi JOIN cases vc ON vc.id = vi.case_id WHERE vi.id = ${itemId}), 0)`;
const minutesRule = (t: string) =>
  `(${t}.closed_only = 1 OR ${meetingClosed(`${t}.meeting_id`)} = 1 OR ${itemCaseClosed(`${t}.agenda_item_id`)} = 1)`;
const recomputeMinutes = (table: string, where: string) =>
  `UPDATE ${table} SET closed_content = ${minutesRule(table)} WHERE (${where}) AND closed_content IS NOT ${minutesRule(table)};`;

const NOT_ERASING = 'NOT EXISTS (SELECT 1 FROM erasure_pass)';
const FROZEN = "SELECT RAISE(ABORT, 'approved minutes never change: add an addendum instead')";
const APPROVED = (meetingIdExpr: string) => `(SELECT minutes_status FROM meetings WHERE id = ${meetingIdExpr}) = 'approved'`;

const schema = `
${NEWLY_SEALED.map((t) => `ALTER TABLE ${t.table} ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));`).join('\n')}
${DERIVED.map((d) => `ALTER TABLE ${d.table} ADD COLUMN closed_content INTEGER NOT NULL DEFAULT 0 CHECK (closed_content IN (0, 1));`).join('\n')}

-- The guards of approved minutes on these tables, as 004, 010 and 012 left them, but for sealing,
-- unsealing and the derived mark (the columns named leave it out).
${NEWLY_SEALED.map(
  (t) => `DROP TRIGGER ${t.table}_frozen_update;
CREATE TRIGGER ${t.table}_frozen_update BEFORE UPDATE OF ${t.all.join(', ')} ON ${t.table}
  WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed AND (${APPROVED('OLD.meeting_id')} OR ${APPROVED('NEW.meeting_id')}) BEGIN ${FROZEN}; END;`,
).join('\n')}

-- The derived mark follows the row's meeting and case. An agenda item's own trigger (015's, for the minutes
-- under it) now follows its meeting too, and its own mark.
DROP TRIGGER agenda_items_closed_content_au;
CREATE TRIGGER agenda_items_closed_content_au AFTER UPDATE OF meeting_id, case_id ON agenda_items BEGIN
  ${MINUTES_TABLES.map((t) => recomputeMinutes(t, 'meeting_id = NEW.meeting_id AND agenda_item_id = NEW.id')).join('\n  ')}
  ${recompute('agenda_items', 'id = NEW.id')}
END;
CREATE TRIGGER agenda_items_closed_content_ai AFTER INSERT ON agenda_items BEGIN ${recompute('agenda_items', 'id = NEW.id')} END;
${DERIVED.filter((d) => d.table !== 'agenda_items')
  .map(
    (d) => `
CREATE TRIGGER ${d.table}_closed_content_ai AFTER INSERT ON ${d.table} BEGIN ${recompute(d.table, 'id = NEW.id')} END;
CREATE TRIGGER ${d.table}_closed_content_au AFTER UPDATE OF ${d.reads.join(', ')} ON ${d.table} BEGIN ${recompute(d.table, 'id = NEW.id')} END;`,
  )
  .join('\n')}
CREATE TRIGGER meetings_agenda_closed_content_au AFTER UPDATE OF closed ON meetings BEGIN
  ${DERIVED.map((d) => recompute(d.table, 'meeting_id = NEW.id')).join('\n  ')}
END;
CREATE TRIGGER cases_agenda_closed_content_au AFTER UPDATE OF closed_only ON cases BEGIN
  ${recompute('agenda_items', 'case_id = NEW.id')}
  ${recompute('meeting_case_raises', 'case_id = NEW.id')}
END;
${DERIVED.map((d) => recompute(d.table, '1')).join('\n')}

${NEWLY_SEALED.map(
  (t) => `
CREATE INDEX ${t.table}_to_seal ON ${t.table} (id) WHERE closed_content = 1 AND sealed = 0;
CREATE INDEX ${t.table}_to_unseal ON ${t.table} (id) WHERE closed_content = 0 AND sealed = 1;
CREATE TRIGGER ${t.table}_sealed_ad AFTER DELETE ON ${t.table} WHEN OLD.sealed = 1 BEGIN
  INSERT INTO sealed_deletions (table_name, key) VALUES ('${t.table}', json_array(OLD.id));
END;
-- A write may not change a sealed row's content in place: the blanks here would be taken for the content.
CREATE TRIGGER ${t.table}_sealed_update BEFORE UPDATE OF ${t.columns.join(', ')} ON ${t.table}
  WHEN OLD.sealed = 1 AND NEW.sealed = 1 BEGIN
  SELECT RAISE(ABORT, 'closed-only content is sealed in the closed database: unseal the row before changing it');
END;`,
).join('\n')}
`;

export const migration: Migration = { version: 16, name: 'closed-agenda', up: (sql) => sql.exec(schema) };
