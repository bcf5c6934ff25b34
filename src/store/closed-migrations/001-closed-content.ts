// The closed database's first schema (issue 15: 1): the content of closed-only rows, keyed as in the open
// store, and its own full-text indexes. Every name is one no open-store table has, so a trigger or view on
// the shared connection can name these tables without a schema. Only statutory partners, managers and the
// recovery key ever open this file.
import type { Migration } from '../../vault/migrate.js';

const TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'";

const schema = `
CREATE TABLE closed_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE closed_cases (
  id                    INTEGER PRIMARY KEY,
  summary               TEXT NOT NULL,
  referral_org          TEXT NOT NULL,
  referral_officer      TEXT NOT NULL,
  referral_reason       TEXT NOT NULL,
  vulnerability_factors TEXT NOT NULL,
  risk_reasons          TEXT NOT NULL,
  supported_by_service  TEXT
) STRICT;
CREATE TABLE closed_case_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT;
CREATE TABLE closed_case_transitions (id INTEGER PRIMARY KEY, reason TEXT NOT NULL) STRICT;
CREATE TABLE closed_case_links (
  case_id       INTEGER NOT NULL,
  other_case_id INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  PRIMARY KEY (case_id, other_case_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE closed_case_locations (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL,
  label    TEXT NOT NULL,
  address  TEXT NOT NULL,
  postcode TEXT,
  ward     TEXT
) STRICT;
CREATE INDEX closed_case_locations_by_case ON closed_case_locations (case_id);
CREATE TABLE closed_minute_paragraphs (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;

-- Search over closed-only text, as the open store's indexes do over the rest (same tokenizer and prefixes).
CREATE VIRTUAL TABLE closed_notes_fts USING fts5(body, ${TOKENIZE}, prefix = '4');
INSERT INTO closed_notes_fts (closed_notes_fts, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER closed_case_notes_fts_ai AFTER INSERT ON closed_case_notes BEGIN
  INSERT INTO closed_notes_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER closed_case_notes_fts_au AFTER UPDATE OF body ON closed_case_notes BEGIN
  DELETE FROM closed_notes_fts WHERE rowid = OLD.id;
  INSERT INTO closed_notes_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER closed_case_notes_fts_ad AFTER DELETE ON closed_case_notes BEGIN
  DELETE FROM closed_notes_fts WHERE rowid = OLD.id;
END;

-- A closed-only case's locations, one row per case (rowid = the case's id), as cases_fts holds an open case's.
CREATE VIRTUAL TABLE closed_cases_fts USING fts5(locations, ${TOKENIZE}, prefix = '2 3 4');
INSERT INTO closed_cases_fts (closed_cases_fts, rank) VALUES ('secure-delete', 1);
CREATE VIEW closed_cases_fts_source AS
SELECT case_id,
  coalesce(group_concat(label || ' ' || address || ' ' || coalesce(postcode, '') || ' ' || replace(coalesce(postcode, ''), ' ', ''), ' '), '') AS locations
FROM closed_case_locations GROUP BY case_id;
CREATE TRIGGER closed_case_locations_fts_ai AFTER INSERT ON closed_case_locations BEGIN
  DELETE FROM closed_cases_fts WHERE rowid = NEW.case_id;
  INSERT INTO closed_cases_fts (rowid, locations) SELECT * FROM closed_cases_fts_source WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER closed_case_locations_fts_au AFTER UPDATE ON closed_case_locations BEGIN
  DELETE FROM closed_cases_fts WHERE rowid = OLD.case_id;
  INSERT INTO closed_cases_fts (rowid, locations) SELECT * FROM closed_cases_fts_source WHERE case_id = OLD.case_id;
  DELETE FROM closed_cases_fts WHERE rowid = NEW.case_id;
  INSERT INTO closed_cases_fts (rowid, locations) SELECT * FROM closed_cases_fts_source WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER closed_case_locations_fts_ad AFTER DELETE ON closed_case_locations BEGIN
  DELETE FROM closed_cases_fts WHERE rowid = OLD.case_id;
  INSERT INTO closed_cases_fts (rowid, locations) SELECT * FROM closed_cases_fts_source WHERE case_id = OLD.case_id;
END;
`;

export const migration: Migration = { version: 1, name: 'closed-content', up: (sql) => sql.exec(schema) };
