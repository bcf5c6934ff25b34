// Erasure (issue 19: 3). Erasing a person or a case has to reach records that are otherwise never changed
// or deleted: approved minutes, actions and their reviews, breaches, addenda. While an erasure runs, its
// transaction holds the one row of `erasure_pass`, and each of those guards stands aside; nothing else can
// see the row, since it is inserted and deleted inside that one transaction. The audit log's triggers are
// not touched: the log holds ids, so erasure never needs to change it.
// The full-text tables delete securely: a deleted row's tokens leave the index at once, rather than
// lingering in older segments until a merge.
// Each erasure is recorded (ids, the pseudonym, the reason, the counts) so approved minutes' addenda and the
// audit entry can name it without naming the person.
import type { Migration } from '../../vault/migrate.js';

/** The guards an erasure passes (from 004-meetings and 007-enforcement). */
export const GUARDS_ERASURE_PASSES = [
  'agenda_items_frozen_update',
  'agenda_items_frozen_delete',
  'agenda_reorders_frozen_update',
  'minute_items_frozen_update',
  'minute_items_frozen_delete',
  'minute_paragraphs_frozen_update',
  'minute_paragraphs_frozen_delete',
  'minute_spans_frozen_insert',
  'minute_spans_frozen_update',
  'minute_spans_frozen_delete',
  'minute_decisions_frozen_update',
  'minute_decisions_frozen_delete',
  'meeting_case_raises_frozen_update',
  'meeting_case_raises_frozen_delete',
  'action_reviews_no_update',
  'action_reviews_no_delete',
  'actions_frozen_update',
  'actions_no_delete',
  'minute_addenda_no_update',
  'enforcement_breaches_no_delete',
  'meetings_frozen_update',
] as const;

const NOT_ERASING = 'NOT EXISTS (SELECT 1 FROM erasure_pass)';

/** The trigger's text with the erasure guard added to (or given as) its WHEN clause. */
export function withErasurePass(triggerSql: string): string {
  const begin = triggerSql.search(/\bBEGIN\b/);
  if (begin < 0) throw new Error('a trigger without BEGIN');
  const head = triggerSql.slice(0, begin);
  const body = triggerSql.slice(begin);
  const when = head.search(/\bWHEN\b/);
  return when < 0
    ? `${head.trimEnd()} WHEN ${NOT_ERASING} ${body}`
    : `${head.slice(0, when)}WHEN ${NOT_ERASING} AND (${head.slice(when + 4).trim()}) ${body}`;
}

const schema = `
CREATE TABLE erasure_pass (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;

CREATE TABLE erasures (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('person', 'case')),
  subject_id INTEGER NOT NULL,
  pseudonym  TEXT NOT NULL,
  reason     TEXT NOT NULL,
  counts     TEXT NOT NULL DEFAULT '{}',
  by_user    INTEGER NOT NULL REFERENCES users(id),
  at         TEXT NOT NULL
) STRICT;
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures WHEN ${NOT_ERASING} BEGIN SELECT RAISE(ABORT, 'an erasure record is never changed'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures BEGIN SELECT RAISE(ABORT, 'an erasure record is never deleted'); END;

INSERT INTO people_fts (people_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO cases_fts (cases_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1);
`;

export const migration: Migration = {
  version: 10,
  name: 'erasure',
  up: async (sql) => {
    await sql.exec(schema);
    const triggers = await sql.all<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${GUARDS_ERASURE_PASSES.map(() => '?').join(', ')})`,
      [...GUARDS_ERASURE_PASSES],
    );
    if (triggers.length !== GUARDS_ERASURE_PASSES.length) throw new Error('a guard the erasure passes is missing');
    for (const trigger of triggers) {
      await sql.exec(`DROP TRIGGER ${trigger.name}`);
      await sql.exec(withErasurePass(trigger.sql));
    }
  },
};
