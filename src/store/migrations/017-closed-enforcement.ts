// The records hung on closed-only content join the closed database (issue 15: 1; docs/closed-store.md):
// the reviews of an action a non-statutory member is not shown, the breaches of a sealed enforcement record,
// the escalations, Community Triggers (with their incidents and recommendations), retention decisions and
// release records of a closed-only case, and what a pseudonymised person keeps (ward, year of birth) when
// that person is closed-only. Each gets `closed_content`, the mark of what it hangs on, kept in step by
// triggers as 015 did for actions and enforcement records, and the `sealed` column, partial indexes and
// guards 013 gave the first tables. The guard that keeps action reviews as they were written lets sealing,
// unsealing and the derived mark through (they move where the content is kept, they do not change it); an
// erasure still passes it. None of this text is in a full-text index. Moving the content needs the closed
// key: it happens at the next unlock by a manager or statutory partner (src/store/closed-store.ts), not here.
import type { Migration } from '../../vault/migrate.js';

// The tables and content columns as they stood when this step was written (src/store/closed-tables.ts is
// the live list; a migration never changes once shipped).
const NEWLY_SEALED = [
  { table: 'action_reviews', key: 'id', columns: ['note', 'failure_reason'] },
  { table: 'enforcement_breaches', key: 'id', columns: ['reported_by', 'action_taken'] },
  { table: 'escalations', key: 'id', columns: ['shared', 'recipients', 'outcome'] },
  {
    table: 'community_triggers',
    key: 'id',
    columns: ['applicant', 'on_behalf_of', 'decision_reasons', 'review_notes', 'outcome', 'appeal'],
  },
  { table: 'community_trigger_incidents', key: 'id', columns: ['agency', 'reference'] },
  { table: 'community_trigger_recommendations', key: 'id', columns: ['text', 'owner'] },
  { table: 'retention_decisions', key: 'id', columns: ['reason'] },
  { table: 'case_releases', key: 'id', columns: ['reason'] },
  { table: 'pseudonymised_people', key: 'person_id', columns: ['birth_year', 'ward'] },
];

const caseClosed = (caseId: string) => `coalesce((SELECT vc.closed_only FROM cases vc WHERE vc.id = ${caseId}), 0)`;
const parentMark = (parent: string, id: string) => `coalesce((SELECT vp.closed_content FROM ${parent} vp WHERE vp.id = ${id}), 0)`;
const personClosed = (personId: string) => `coalesce((SELECT vp.closed_only FROM people vp WHERE vp.id = ${personId}), 0)`;

/**
 * Each derived mark: the rule on the table's row by its name, the row's columns it reads, and what it
 * follows elsewhere (a table and the column whose change re-marks the rows that `which` selects).
 */
const DERIVED: readonly {
  table: string;
  rule: (t: string) => string;
  reads: readonly string[];
  follows: { table: string; column: string; which: string };
}[] = [
  // src/store/actions.ts: reviews are read only with their action.
  {
    table: 'action_reviews',
    rule: (t) => parentMark('actions', `${t}.action_id`),
    reads: ['action_id'],
    follows: { table: 'actions', column: 'closed_content', which: 'action_id = NEW.id' },
  },
  // src/store/enforcement.ts: breaches are read only with their record.
  {
    table: 'enforcement_breaches',
    rule: (t) => parentMark('enforcement', `${t}.enforcement_id`),
    reads: ['enforcement_id'],
    follows: { table: 'enforcement', column: 'closed_content', which: 'enforcement_id = NEW.id' },
  },
  {
    table: 'escalations',
    rule: (t) => caseClosed(`${t}.case_id`),
    reads: ['case_id'],
    follows: { table: 'cases', column: 'closed_only', which: 'case_id = NEW.id' },
  },
  {
    table: 'community_triggers',
    rule: (t) => caseClosed(`${t}.case_id`),
    reads: ['case_id'],
    follows: { table: 'cases', column: 'closed_only', which: 'case_id = NEW.id' },
  },
  {
    table: 'community_trigger_incidents',
    rule: (t) => parentMark('community_triggers', `${t}.trigger_id`),
    reads: ['trigger_id'],
    follows: { table: 'community_triggers', column: 'closed_content', which: 'trigger_id = NEW.id' },
  },
  {
    table: 'community_trigger_recommendations',
    rule: (t) => parentMark('community_triggers', `${t}.trigger_id`),
    reads: ['trigger_id'],
    follows: { table: 'community_triggers', column: 'closed_content', which: 'trigger_id = NEW.id' },
  },
  {
    table: 'retention_decisions',
    rule: (t) => caseClosed(`${t}.case_id`),
    reads: ['case_id'],
    follows: { table: 'cases', column: 'closed_only', which: 'case_id = NEW.id' },
  },
  {
    table: 'case_releases',
    rule: (t) => caseClosed(`${t}.case_id`),
    reads: ['case_id'],
    follows: { table: 'cases', column: 'closed_only', which: 'case_id = NEW.id' },
  },
  {
    table: 'pseudonymised_people',
    rule: (t) => personClosed(`${t}.person_id`),
    reads: ['person_id'],
    follows: { table: 'people', column: 'closed_only', which: 'person_id = NEW.id' },
  },
];

/** Sets the derived mark of `table`'s rows that `where` selects, where it is not already right. */
function recompute(table: string, where: string): string {
  const rule = DERIVED.find((d) => d.table === table)!.rule(table);
  return `UPDATE ${table} SET closed_content = ${rule} WHERE (${where}) AND closed_content IS NOT ${rule};`;
}

const keyOf = (table: string) => NEWLY_SEALED.find((t) => t.table === table)!.key;
const NOT_ERASING = 'NOT EXISTS (SELECT 1 FROM erasure_pass)';

const schema = `
-- Reviews are never changed, as 004 and 010 left them, but for sealing, unsealing and the derived mark
-- (the columns named leave it out).
DROP TRIGGER action_reviews_no_update;
CREATE TRIGGER action_reviews_no_update BEFORE UPDATE OF id, action_id, meeting_id, outcome, new_due_date, failure_reason, note, by_user, at, sealed
  ON action_reviews WHEN ${NOT_ERASING} AND NEW.sealed = OLD.sealed BEGIN
  SELECT RAISE(ABORT, 'action reviews are a record: they are never changed');
END;

${NEWLY_SEALED.map((t) => `ALTER TABLE ${t.table} ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));`).join('\n')}
${DERIVED.map((d) => `ALTER TABLE ${d.table} ADD COLUMN closed_content INTEGER NOT NULL DEFAULT 0 CHECK (closed_content IN (0, 1));`).join('\n')}

-- The derived mark follows the row's own link and the mark of what it hangs on (a parent's derived mark
-- changes through 015's triggers, or the ones here, and each change re-marks the rows below it).
${DERIVED.map(
  (d) => `
CREATE TRIGGER ${d.table}_closed_content_ai AFTER INSERT ON ${d.table} BEGIN ${recompute(d.table, `${keyOf(d.table)} = NEW.${keyOf(d.table)}`)} END;
CREATE TRIGGER ${d.table}_closed_content_au AFTER UPDATE OF ${d.reads.join(', ')} ON ${d.table} BEGIN ${recompute(d.table, `${keyOf(d.table)} = NEW.${keyOf(d.table)}`)} END;
CREATE TRIGGER ${d.table}_follows_${d.follows.table}_au AFTER UPDATE OF ${d.follows.column} ON ${d.follows.table} BEGIN ${recompute(d.table, d.follows.which)} END;`,
).join('\n')}
-- Parents first, so the rows below them read their marks.
${['escalations', 'community_triggers', 'retention_decisions', 'case_releases', 'pseudonymised_people'].map((t) => recompute(t, '1')).join('\n')}
${['action_reviews', 'enforcement_breaches', 'community_trigger_incidents', 'community_trigger_recommendations'].map((t) => recompute(t, '1')).join('\n')}

${NEWLY_SEALED.map(
  (t) => `
CREATE INDEX ${t.table}_to_seal ON ${t.table} (${t.key}) WHERE closed_content = 1 AND sealed = 0;
CREATE INDEX ${t.table}_to_unseal ON ${t.table} (${t.key}) WHERE closed_content = 0 AND sealed = 1;
CREATE TRIGGER ${t.table}_sealed_ad AFTER DELETE ON ${t.table} WHEN OLD.sealed = 1 BEGIN
  INSERT INTO sealed_deletions (table_name, key) VALUES ('${t.table}', json_array(OLD.${t.key}));
END;
-- A write may not change a sealed row's content in place: the blanks here would be taken for the content.
CREATE TRIGGER ${t.table}_sealed_update BEFORE UPDATE OF ${t.columns.join(', ')} ON ${t.table}
  WHEN OLD.sealed = 1 AND NEW.sealed = 1 BEGIN
  SELECT RAISE(ABORT, 'closed-only content is sealed in the closed database: unseal the row before changing it');
END;`,
).join('\n')}
`;

export const migration: Migration = { version: 17, name: 'closed-enforcement', up: (sql) => sql.exec(schema) };
