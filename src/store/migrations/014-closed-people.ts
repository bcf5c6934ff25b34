// People whose every case is closed-only are closed-only too (issue 15: 1; docs/closed-store.md). The
// visibility rule (src/store/visibility.ts personVisible) already hides them from a non-statutory member;
// this gives them the mark that rule implies, kept in step by triggers, so their content can be sealed in
// the closed database as closed-only cases' is. A person is closed-only when no non-statutory member may
// see them:
// - on at least one case, and on no case that is not closed-only; or
// - on no case at all, and recorded by a user who is not a non-statutory member (a non-statutory member
//   sees the people they recorded themselves while those are on no case).
// Their aliases, addresses and identifiers carry the person's mark, as a case's locations carry the case's.
// The open store's people_fts stops indexing them and is rebuilt without them (secure-delete on).
import type { Migration } from '../../vault/migrate.js';

const LISTS = ['person_aliases', 'person_addresses', 'person_identifiers'] as const;

// The tables and content columns as they stood when this step was written (src/store/closed-tables.ts is
// the live list; a migration never changes once shipped).
const SEALED_TABLES = [
  { table: 'people', columns: ['given_name', 'family_name', 'date_of_birth', 'gender', 'contacts', 'household'] },
  { table: 'person_aliases', columns: ['alias'] },
  { table: 'person_addresses', columns: ['line1', 'line2', 'town', 'postcode', 'ward', 'address_key'] },
  { table: 'person_identifiers', columns: ['value'] },
];

/**
 * The closed-only mark the rule above gives the person whose id is `person` (an SQL expression), reading
 * the tables of `schema` (a bulk load outside the triggers names `main.`, as a key holder's `cases` is a view).
 */
export const markOf = (person: string, createdBy: string, schema = '') => `(CASE
  WHEN EXISTS (SELECT 1 FROM ${schema}case_subjects ms WHERE ms.person_id = ${person})
    THEN NOT EXISTS (SELECT 1 FROM ${schema}case_subjects ms JOIN ${schema}cases mc ON mc.id = ms.case_id WHERE ms.person_id = ${person} AND mc.closed_only = 0)
  ELSE coalesce((SELECT mu.role <> 'non_statutory' FROM ${schema}users mu WHERE mu.id = ${createdBy}), 1)
END)`;

/** Brings the marks of the people `which` selects (a condition on `people`) up to date, touching only those that change. */
const remark = (which: string) =>
  `UPDATE people SET closed_only = ${markOf('people.id', 'people.created_by')}
    WHERE (${which}) AND closed_only IS NOT ${markOf('people.id', 'people.created_by')};`;

const REINDEX = (personId: string) => `
  DELETE FROM people_fts WHERE rowid = ${personId};
  INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source WHERE person_id = ${personId};`;

const schema = `
ALTER TABLE people ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));
${LISTS.map((t) => `ALTER TABLE ${t} ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));`).join('\n')}
UPDATE people SET closed_only = ${markOf('people.id', 'people.created_by')};

-- The lists were never updated in place (their search rows follow inserts and deletes); now they may be, to
-- follow their person's mark and to be sealed or unsealed, but their content still only by replacing them.
${LISTS.map((t) => `DROP TRIGGER ${t}_no_update;`).join('\n')}
${LISTS.map((t) => `UPDATE ${t} SET closed_only = 1 WHERE person_id IN (SELECT id FROM people WHERE closed_only = 1);`).join('\n')}

${SEALED_TABLES.map(
  (t) => `
ALTER TABLE ${t.table} ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));
CREATE INDEX ${t.table}_to_seal ON ${t.table} (id) WHERE closed_only = 1 AND sealed = 0;
CREATE INDEX ${t.table}_to_unseal ON ${t.table} (id) WHERE closed_only = 0 AND sealed = 1;
CREATE TRIGGER ${t.table}_sealed_ad AFTER DELETE ON ${t.table} WHEN OLD.sealed = 1 BEGIN
  INSERT INTO sealed_deletions (table_name, key) VALUES ('${t.table}', json_array(OLD.id));
END;
CREATE TRIGGER ${t.table}_sealed_update BEFORE UPDATE OF ${t.columns.join(', ')} ON ${t.table}
  WHEN OLD.sealed = 1 AND NEW.sealed = 1 BEGIN
  SELECT RAISE(ABORT, 'closed-only content is sealed in the closed database: unseal the row before changing it');
END;`,
).join('\n')}

${LISTS.map(
  (t) => `
CREATE TRIGGER ${t}_no_update BEFORE UPDATE OF ${['id', 'person_id', ...SEALED_TABLES.find((s) => s.table === t)!.columns].join(', ')} ON ${t}
  WHEN NEW.sealed = OLD.sealed BEGIN
  SELECT RAISE(ABORT, '${t} rows are replaced, not updated, so the search index stays in step');
END;
CREATE TRIGGER ${t}_closed_only_ai AFTER INSERT ON ${t} BEGIN
  UPDATE ${t} SET closed_only = (SELECT closed_only FROM people WHERE id = NEW.person_id) WHERE id = NEW.id;
END;
CREATE TRIGGER ${t}_fts_sealed_au AFTER UPDATE OF sealed ON ${t} BEGIN ${REINDEX('NEW.person_id')} END;`,
).join('\n')}

-- The mark follows the person's cases: linked or taken off, a case's own mark changed, a case deleted (its
-- subjects go with it, and their delete trigger runs), and, for a person on no case, who recorded them.
CREATE TRIGGER people_closed_only_ai AFTER INSERT ON people BEGIN ${remark('people.id = NEW.id')} END;
CREATE TRIGGER case_subjects_closed_only_ai AFTER INSERT ON case_subjects BEGIN ${remark('people.id = NEW.person_id')} END;
CREATE TRIGGER case_subjects_closed_only_ad AFTER DELETE ON case_subjects BEGIN ${remark('people.id = OLD.person_id')} END;
CREATE TRIGGER case_subjects_closed_only_au AFTER UPDATE ON case_subjects BEGIN
  ${remark('people.id IN (OLD.person_id, NEW.person_id)')}
END;
CREATE TRIGGER cases_people_closed_only_au AFTER UPDATE OF closed_only ON cases BEGIN
  ${remark('people.id IN (SELECT person_id FROM case_subjects WHERE case_id = NEW.id)')}
END;
CREATE TRIGGER users_people_closed_only_au AFTER UPDATE OF role ON users BEGIN
  ${remark('people.created_by = NEW.id AND NOT EXISTS (SELECT 1 FROM case_subjects WHERE person_id = people.id)')}
END;
CREATE TRIGGER people_closed_only_au AFTER UPDATE OF closed_only ON people BEGIN
  ${LISTS.map((t) => `UPDATE ${t} SET closed_only = NEW.closed_only WHERE person_id = NEW.id AND closed_only <> NEW.closed_only;`).join('\n  ')}
END;

-- The open store's people index holds no closed-only person.
DROP VIEW people_fts_source;
CREATE VIEW people_fts_source AS
SELECT p.id AS person_id,
  p.given_name || ' ' || p.family_name AS names,
  (SELECT coalesce(group_concat(alias, ' '), '') FROM person_aliases WHERE person_id = p.id) AS aliases,
  (SELECT coalesce(group_concat(value, ' '), '') FROM person_identifiers WHERE person_id = p.id) AS identifiers,
  (SELECT coalesce(group_concat(line1 || ' ' || coalesce(line2, '') || ' ' || coalesce(town, '') || ' ' || coalesce(postcode, '') || ' ' || replace(coalesce(postcode, ''), ' ', ''), ' '), '')
     FROM person_addresses WHERE person_id = p.id) AS addresses
FROM people p WHERE p.closed_only = 0;
CREATE TRIGGER people_fts_marks_au AFTER UPDATE OF closed_only, sealed ON people BEGIN ${REINDEX('NEW.id')} END;

INSERT INTO people_fts (people_fts, rank) VALUES ('secure-delete', 1);
DELETE FROM people_fts WHERE rowid IN (SELECT id FROM people WHERE closed_only = 1);
INSERT INTO people_fts (people_fts) VALUES ('rebuild');
`;

export const migration: Migration = { version: 14, name: 'closed-people', up: (sql) => sql.exec(schema) };
