// Ready the open store for the closed database (issue 15: 1; docs/closed-store.md). Every table that holds
// closed-only content gets a `sealed` mark: 1 when the row's content lives in the closed database and the
// columns here hold blanks. Locations carry their case's closed-only mark, kept in step by triggers, so
// every sealed table answers "what is still to seal or unseal" from a small partial index.
// The open store's full-text indexes stop indexing closed-only text (it is indexed in the closed database)
// and are rebuilt without it, with FTS5's secure-delete on, so what is removed leaves no token behind.
// Moving the content itself needs the closed key, so it happens at the first unlock by a manager or
// statutory partner (src/store/closed-store.ts), not here.
import type { Migration } from '../../vault/migrate.js';

// The tables and content columns as they stood when this step was written (src/store/closed-tables.ts is
// the live list; a migration never changes once shipped).
const SEALED_TABLES = [
  {
    table: 'cases',
    key: ['id'],
    columns: [
      'summary',
      'referral_org',
      'referral_officer',
      'referral_reason',
      'vulnerability_factors',
      'risk_reasons',
      'supported_by_service',
    ],
  },
  { table: 'case_notes', key: ['id'], columns: ['body'] },
  { table: 'case_transitions', key: ['id'], columns: ['reason'] },
  { table: 'case_links', key: ['case_id', 'other_case_id'], columns: ['reason'] },
  { table: 'case_locations', key: ['id'], columns: ['label', 'address', 'postcode', 'ward'] },
  { table: 'minute_paragraphs', key: ['id'], columns: ['text'] },
];

const FROZEN = "SELECT RAISE(ABORT, 'approved minutes never change: add an addendum instead')";
const APPROVED = (meetingIdExpr: string) => `(SELECT minutes_status FROM meetings WHERE id = ${meetingIdExpr}) = 'approved'`;

const schema = `
-- The keys of sealed rows deleted here (no content): their content is dropped from the closed database next.
CREATE TABLE sealed_deletions (id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, key TEXT NOT NULL) STRICT;

DROP TRIGGER case_locations_no_update;
ALTER TABLE case_locations ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));
UPDATE case_locations SET closed_only = 1 WHERE case_id IN (SELECT id FROM cases WHERE closed_only = 1);
CREATE TRIGGER case_locations_closed_only_ai AFTER INSERT ON case_locations BEGIN
  UPDATE case_locations SET closed_only = (SELECT closed_only FROM cases WHERE id = NEW.case_id) WHERE id = NEW.id;
END;
CREATE TRIGGER cases_closed_only_au AFTER UPDATE OF closed_only ON cases BEGIN
  UPDATE case_locations SET closed_only = NEW.closed_only WHERE case_id = NEW.id;
  DELETE FROM cases_fts WHERE rowid = NEW.id;
  INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id = NEW.id;
END;

${SEALED_TABLES.map(
  (t) => `
ALTER TABLE ${t.table} ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));
CREATE INDEX ${t.table}_to_seal ON ${t.table} (${t.key.join(', ')}) WHERE closed_only = 1 AND sealed = 0;
CREATE INDEX ${t.table}_to_unseal ON ${t.table} (${t.key.join(', ')}) WHERE closed_only = 0 AND sealed = 1;
-- A write may not change a sealed row's content in place: the blanks here would be taken for the content.
CREATE TRIGGER ${t.table}_sealed_ad AFTER DELETE ON ${t.table} WHEN OLD.sealed = 1 BEGIN
  INSERT INTO sealed_deletions (table_name, key) VALUES ('${t.table}', json_array(${t.key.map((k) => `OLD.${k}`).join(', ')}));
END;
CREATE TRIGGER ${t.table}_sealed_update BEFORE UPDATE OF ${t.columns.join(', ')} ON ${t.table}
  WHEN OLD.sealed = 1 AND NEW.sealed = 1 BEGIN
  SELECT RAISE(ABORT, 'closed-only content is sealed in the closed database: unseal the row before changing it');
END;`,
).join('\n')}

-- Locations are replaced, not updated, except to seal or unseal them or to follow their case's mark.
CREATE TRIGGER case_locations_no_update BEFORE UPDATE OF id, case_id, label, address, postcode, ward ON case_locations
  WHEN NEW.sealed = OLD.sealed BEGIN
  SELECT RAISE(ABORT, 'case_locations rows are replaced, not updated, so the search index stays in step');
END;
CREATE TRIGGER case_locations_fts_au AFTER UPDATE OF sealed, closed_only ON case_locations BEGIN
  DELETE FROM cases_fts WHERE rowid = NEW.case_id;
  INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id = NEW.case_id;
END;

-- Approved minutes stay as they are; sealing or unsealing a paragraph changes where its text is kept, not the
-- text. An erasure pass still goes through, as migration 010 made it.
DROP TRIGGER minute_paragraphs_frozen_update;
CREATE TRIGGER minute_paragraphs_frozen_update BEFORE UPDATE ON minute_paragraphs
  WHEN NOT EXISTS (SELECT 1 FROM erasure_pass) AND NEW.sealed = OLD.sealed AND (${APPROVED('OLD.meeting_id')} OR ${APPROVED('NEW.meeting_id')})
  BEGIN ${FROZEN}; END;

-- The open store's search index holds no closed-only text: a case's locations count only while it is open,
-- and a note only while it is not closed-only.
DROP VIEW cases_fts_source;
CREATE VIEW cases_fts_source AS
SELECT c.id AS case_id, c.reference AS reference,
  (SELECT coalesce(group_concat(label || ' ' || address || ' ' || coalesce(postcode, '') || ' ' || replace(coalesce(postcode, ''), ' ', ''), ' '), '')
     FROM case_locations WHERE case_id = c.id AND closed_only = 0) AS locations
FROM cases c;
DROP TRIGGER case_notes_fts_ai;
CREATE TRIGGER case_notes_fts_ai AFTER INSERT ON case_notes WHEN NEW.closed_only = 0 BEGIN
  INSERT INTO notes_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
DROP TRIGGER case_notes_fts_au;
CREATE TRIGGER case_notes_fts_au AFTER UPDATE OF body, closed_only ON case_notes BEGIN
  DELETE FROM notes_fts WHERE rowid = OLD.id;
  INSERT INTO notes_fts (rowid, body) SELECT NEW.id, NEW.body WHERE NEW.closed_only = 0;
END;

INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO cases_fts (cases_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO people_fts (people_fts, rank) VALUES ('secure-delete', 1);
DELETE FROM notes_fts WHERE rowid IN (SELECT id FROM case_notes WHERE closed_only = 1);
DELETE FROM cases_fts WHERE rowid IN (SELECT id FROM cases WHERE closed_only = 1);
INSERT INTO cases_fts (rowid, reference, locations) SELECT s.* FROM cases_fts_source s JOIN cases c ON c.id = s.case_id WHERE c.closed_only = 1;
INSERT INTO notes_fts (notes_fts) VALUES ('rebuild');
INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');
`;

export const migration: Migration = { version: 13, name: 'closed-store', up: (sql) => sql.exec(schema) };
