// Meetings, minutes, actions and enforcement join the closed database (issue 15: 1; docs/closed-store.md).
// A closed meeting (its place, focus and why its minutes were returned) is sealed by its own `closed` mark.
// Paragraphs, decisions, addenda, actions and enforcement records are hidden from a non-statutory member
// not only for their own mark but for their meeting's (closed) or their case's (closed-only), so each gets
// `closed_content`, the row's own mark or the one it takes from its meeting or case, kept in step by
// triggers as case_locations' mark is (013); that is the mark they are sealed by. Each sealed table gets
// the `sealed` column, the partial indexes and the guards 013 gave the first tables.
// Approved minutes, approved actions and addenda refuse any change; sealing or unsealing moves where the
// content is kept and does not change it, and a change of the derived mark changes no content, so both
// pass those guards (as 013 let sealing pass the paragraphs' guard). An erasure still passes them all.
// None of this text is in a full-text index. Moving the content needs the closed key: it happens at the
// next unlock by a manager or statutory partner (src/store/closed-store.ts), not here.
import type { Migration } from '../../vault/migrate.js';

// The tables and content columns as they stood when this step was written (src/store/closed-tables.ts is
// the live list; a migration never changes once shipped).
const NEWLY_SEALED = [
  { table: 'meetings', columns: ['place', 'place_focus', 'minutes_returned'] },
  { table: 'minute_decisions', columns: ['text'] },
  { table: 'minute_addenda', columns: ['text', 'reason'] },
  { table: 'actions', columns: ['description', 'officer'] },
  { table: 'enforcement', columns: ['location', 'conditions', 'prohibitions'] },
];

const meetingClosed = (meetingId: string) => `coalesce((SELECT vm.closed FROM meetings vm WHERE vm.id = ${meetingId}), 0)`;
const caseClosed = (caseId: string) => `coalesce((SELECT vc.closed_only FROM cases vc WHERE vc.id = ${caseId}), 0)`;
const itemCaseClosed = (itemId: string) =>
  `coalesce((SELECT vc.closed_only FROM agenda_items vi JOIN cases vc ON vc.id = vi.case_id WHERE vi.id = ${itemId}), 0)`;

/** A minutes row is hidden for its own mark, a closed meeting, or an agenda item about a closed-only case (src/store/meetings.ts). */
const minutesRule = (t: string) =>
  `(${t}.closed_only = 1 OR ${meetingClosed(`${t}.meeting_id`)} = 1 OR ${itemCaseClosed(`${t}.agenda_item_id`)} = 1)`;

/** Each derived mark: the rule (on the table's row by its name) and the columns it reads from the row. */
const DERIVED = [
  { table: 'minute_paragraphs', rule: minutesRule, reads: ['closed_only', 'meeting_id', 'agenda_item_id'] },
  { table: 'minute_decisions', rule: minutesRule, reads: ['closed_only', 'meeting_id', 'agenda_item_id'] },
  { table: 'minute_addenda', rule: minutesRule, reads: ['closed_only', 'meeting_id', 'agenda_item_id'] },
  // src/store/actions.ts: the action's own mark, its meeting, its case.
  {
    table: 'actions',
    rule: (t: string) => `(${t}.closed_only = 1 OR ${meetingClosed(`${t}.meeting_id`)} = 1 OR ${caseClosed(`${t}.case_id`)} = 1)`,
    reads: ['closed_only', 'meeting_id', 'case_id'],
  },
  // src/store/enforcement.ts: the record's own mark, its case.
  {
    table: 'enforcement',
    rule: (t: string) => `(${t}.closed_only = 1 OR ${caseClosed(`${t}.case_id`)} = 1)`,
    reads: ['closed_only', 'case_id'],
  },
];

const MINUTES_TABLES = ['minute_paragraphs', 'minute_decisions', 'minute_addenda'];

/** Sets the derived mark of `table`'s rows that `where` selects, where it is not already right. */
function recompute(table: string, where: string): string {
  const rule = DERIVED.find((d) => d.table === table)!.rule(table);
  return `UPDATE ${table} SET closed_content = ${rule} WHERE (${where}) AND closed_content IS NOT ${rule};`;
}

const NOT_ERASING = 'NOT EXISTS (SELECT 1 FROM erasure_pass)';
const FROZEN = "SELECT RAISE(ABORT, 'approved minutes never change: add an addendum instead')";
const APPROVED = (meetingIdExpr: string) => `(SELECT minutes_status FROM meetings WHERE id = ${meetingIdExpr}) = 'approved'`;

const schema = `
-- The guards of approved minutes, approved actions and addenda, as 004, 010 and 013 left them, but for
-- sealing, unsealing and the derived mark (the columns named leave it out).
DROP TRIGGER meetings_frozen_update;
CREATE TRIGGER meetings_frozen_update BEFORE UPDATE ON meetings
  WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed AND OLD.minutes_status = 'approved' BEGIN ${FROZEN}; END;
DROP TRIGGER minute_paragraphs_frozen_update;
CREATE TRIGGER minute_paragraphs_frozen_update BEFORE UPDATE OF id, meeting_id, agenda_item_id, position, text, closed_only, sealed ON minute_paragraphs
  WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed AND (${APPROVED('OLD.meeting_id')} OR ${APPROVED('NEW.meeting_id')}) BEGIN ${FROZEN}; END;
DROP TRIGGER minute_decisions_frozen_update;
CREATE TRIGGER minute_decisions_frozen_update BEFORE UPDATE OF id, meeting_id, agenda_item_id, kind, text, closed_only, case_id, from_status,
    to_status, outcome, risk_from, risk_to, personal_harm, community_harm, environmental_harm, by_user, at, sealed ON minute_decisions
  WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed AND (${APPROVED('OLD.meeting_id')} OR ${APPROVED('NEW.meeting_id')}) BEGIN ${FROZEN}; END;
DROP TRIGGER minute_addenda_no_update;
CREATE TRIGGER minute_addenda_no_update BEFORE UPDATE OF id, meeting_id, agenda_item_id, text, reason, closed_only, author_id, at, sealed ON minute_addenda
  WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed BEGIN SELECT RAISE(ABORT, 'addenda are never changed: add another'); END;
DROP TRIGGER actions_frozen_update;
CREATE TRIGGER actions_frozen_update BEFORE UPDATE OF meeting_id, agenda_item_id, case_id, description, owner_org_id, officer, closed_only, created_at, created_by ON actions
  WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed AND ${APPROVED('OLD.meeting_id')} BEGIN ${FROZEN}; END;

${NEWLY_SEALED.map((t) => `ALTER TABLE ${t.table} ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));`).join('\n')}
${DERIVED.map((d) => `ALTER TABLE ${d.table} ADD COLUMN closed_content INTEGER NOT NULL DEFAULT 0 CHECK (closed_content IN (0, 1));`).join('\n')}

-- The derived mark follows the row's own mark, its meeting's and its case's.
${DERIVED.map(
  (d) => `
CREATE TRIGGER ${d.table}_closed_content_ai AFTER INSERT ON ${d.table} BEGIN ${recompute(d.table, 'id = NEW.id')} END;
CREATE TRIGGER ${d.table}_closed_content_au AFTER UPDATE OF ${d.reads.join(', ')} ON ${d.table} BEGIN ${recompute(d.table, 'id = NEW.id')} END;`,
).join('\n')}
CREATE TRIGGER meetings_closed_content_au AFTER UPDATE OF closed ON meetings BEGIN
  ${[...MINUTES_TABLES, 'actions'].map((t) => recompute(t, 'meeting_id = NEW.id')).join('\n  ')}
END;
CREATE TRIGGER cases_closed_content_au AFTER UPDATE OF closed_only ON cases BEGIN
  ${MINUTES_TABLES.map((t) =>
    recompute(
      t,
      'meeting_id IN (SELECT meeting_id FROM agenda_items WHERE case_id = NEW.id) AND agenda_item_id IN (SELECT id FROM agenda_items WHERE case_id = NEW.id)',
    ),
  ).join('\n  ')}
  ${recompute('actions', 'case_id = NEW.id')}
  ${recompute('enforcement', 'case_id = NEW.id')}
END;
CREATE TRIGGER agenda_items_closed_content_au AFTER UPDATE OF case_id ON agenda_items BEGIN
  ${MINUTES_TABLES.map((t) => recompute(t, 'meeting_id = NEW.meeting_id AND agenda_item_id = NEW.id')).join('\n  ')}
END;
${DERIVED.map((d) => recompute(d.table, '1')).join('\n')}

-- Paragraphs are sealed by the derived mark from now on.
DROP INDEX minute_paragraphs_to_seal;
DROP INDEX minute_paragraphs_to_unseal;
CREATE INDEX minute_paragraphs_to_seal ON minute_paragraphs (id) WHERE closed_content = 1 AND sealed = 0;
CREATE INDEX minute_paragraphs_to_unseal ON minute_paragraphs (id) WHERE closed_content = 0 AND sealed = 1;

${NEWLY_SEALED.map((t) => {
  const mark = t.table === 'meetings' ? 'closed' : 'closed_content';
  return `
CREATE INDEX ${t.table}_to_seal ON ${t.table} (id) WHERE ${mark} = 1 AND sealed = 0;
CREATE INDEX ${t.table}_to_unseal ON ${t.table} (id) WHERE ${mark} = 0 AND sealed = 1;
CREATE TRIGGER ${t.table}_sealed_ad AFTER DELETE ON ${t.table} WHEN OLD.sealed = 1 BEGIN
  INSERT INTO sealed_deletions (table_name, key) VALUES ('${t.table}', json_array(OLD.id));
END;
-- A write may not change a sealed row's content in place: the blanks here would be taken for the content.
CREATE TRIGGER ${t.table}_sealed_update BEFORE UPDATE OF ${t.columns.join(', ')} ON ${t.table}
  WHEN OLD.sealed = 1 AND NEW.sealed = 1 BEGIN
  SELECT RAISE(ABORT, 'closed-only content is sealed in the closed database: unseal the row before changing it');
END;`;
}).join('\n')}
`;

export const migration: Migration = { version: 15, name: 'closed-minutes', up: (sql) => sql.exec(schema) };
