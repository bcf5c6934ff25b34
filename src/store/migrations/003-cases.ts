// People, cases and everything hung on a case; the full-text index over them. People and cases are
// separate: one person can be a subject of several cases and a case can be about a group.
// Lists that are only ever read whole with their owner (contacts, household, vulnerability factors) are
// JSON columns; lists that are searched or matched (aliases, addresses, identifiers, concerns) are tables.
// The FTS5 tables live inside this encrypted file and are kept in step by triggers, so no write path
// can forget them. Their rowids are the ids of the rows they index.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE people (
  id            INTEGER PRIMARY KEY,
  given_name    TEXT NOT NULL,
  family_name   TEXT NOT NULL,
  date_of_birth TEXT,
  gender        TEXT CHECK (gender IN ('female', 'male', 'non_binary', 'other', 'not_known')),
  contacts      TEXT NOT NULL DEFAULT '[]',
  household     TEXT NOT NULL DEFAULT '[]',
  created_at    TEXT NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  updated_at    TEXT NOT NULL,
  updated_by    INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX people_by_dob ON people (date_of_birth);

CREATE TABLE person_aliases (
  id        INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  alias     TEXT NOT NULL
) STRICT;
CREATE INDEX person_aliases_by_person ON person_aliases (person_id);

CREATE TABLE person_addresses (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  line1       TEXT NOT NULL,
  line2       TEXT,
  town        TEXT,
  postcode    TEXT,
  ward        TEXT,
  current     INTEGER NOT NULL CHECK (current IN (0, 1)),
  address_key TEXT
) STRICT;
CREATE INDEX person_addresses_by_person ON person_addresses (person_id);
CREATE INDEX person_addresses_by_key ON person_addresses (address_key) WHERE address_key IS NOT NULL;

CREATE TABLE person_identifiers (
  id        INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  scheme    TEXT NOT NULL CHECK (scheme IN ('police', 'council', 'housing', 'nhs', 'ni', 'other')),
  value     TEXT NOT NULL
) STRICT;
CREATE INDEX person_identifiers_by_person ON person_identifiers (person_id);
CREATE INDEX person_identifiers_by_value ON person_identifiers (scheme, value);

CREATE TABLE cases (
  id                    INTEGER PRIMARY KEY,
  reference             TEXT NOT NULL UNIQUE,
  ref_year              INTEGER NOT NULL,
  ref_seq               INTEGER NOT NULL,
  area                  TEXT NOT NULL,
  summary               TEXT NOT NULL DEFAULT '',
  referral_org          TEXT NOT NULL,
  referral_officer      TEXT NOT NULL DEFAULT '',
  referral_date         TEXT NOT NULL,
  referral_reason       TEXT NOT NULL,
  consent               TEXT NOT NULL CHECK (consent IN ('given', 'refused', 'not_sought', 'not_required')),
  personal_harm         TEXT NOT NULL CHECK (personal_harm IN ('low', 'medium', 'high')),
  community_harm        TEXT NOT NULL CHECK (community_harm IN ('low', 'medium', 'high')),
  environmental_harm    TEXT NOT NULL CHECK (environmental_harm IN ('low', 'medium', 'high')),
  overall_risk          TEXT NOT NULL CHECK (overall_risk IN ('low', 'medium', 'high')),
  risk_rank             INTEGER NOT NULL CHECK (risk_rank IN (0, 1, 2)),
  vulnerability_factors TEXT NOT NULL DEFAULT '[]',
  risk_reasons          TEXT NOT NULL DEFAULT '',
  risk_assessed_by      INTEGER NOT NULL REFERENCES users(id),
  risk_assessed_at      TEXT NOT NULL,
  review_date           TEXT NOT NULL,
  status                TEXT NOT NULL CHECK (status IN ('referred', 'accepted', 'declined', 'active', 'under_review', 'closed')),
  outcome               TEXT CHECK (outcome IN ('resolved', 'not_resolved', 'transferred')),
  supported_by_service  TEXT,
  supported_decision    TEXT CHECK (supported_decision IN ('discuss', 'do_not_discuss')),
  closed_only           INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1)),
  created_at            TEXT NOT NULL,
  created_by            INTEGER NOT NULL REFERENCES users(id),
  updated_at            TEXT NOT NULL,
  updated_by            INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (ref_year, ref_seq),
  CHECK ((status = 'closed') = (outcome IS NOT NULL)),
  CHECK ((supported_by_service IS NULL) = (supported_decision IS NULL))
) STRICT;
-- One narrow index holds every column that lists and searches filter or sort on. Lists scan it without
-- touching the wide rows, and search looks matched cases up in it by id: in an encrypted file every
-- table page read is a page decrypted, so staying in this index is what keeps lists fast.
CREATE INDEX cases_listing ON cases (id, review_date, risk_rank, status, closed_only, area COLLATE NOCASE, referral_date, updated_at, ref_year, ref_seq);

CREATE TABLE case_concerns (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  concern TEXT NOT NULL,
  PRIMARY KEY (case_id, concern)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_concerns_by_concern ON case_concerns (concern, case_id);

CREATE TABLE case_subjects (
  case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id),
  position  INTEGER NOT NULL,
  PRIMARY KEY (case_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_subjects_by_person ON case_subjects (person_id, case_id);

CREATE TABLE case_links (
  case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  other_case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  reason        TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (case_id, other_case_id),
  CHECK (case_id < other_case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_links_by_other ON case_links (other_case_id, case_id);

CREATE TABLE case_locations (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  label    TEXT NOT NULL,
  address  TEXT NOT NULL DEFAULT '',
  postcode TEXT,
  ward     TEXT
) STRICT;
CREATE INDEX case_locations_by_case ON case_locations (case_id);

CREATE TABLE case_notes (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  author_id      INTEGER NOT NULL REFERENCES users(id),
  at             TEXT NOT NULL,
  classification TEXT NOT NULL CHECK (classification IN ('free_text', 'special_category')),
  closed_only    INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1)),
  body           TEXT NOT NULL
) STRICT;
CREATE INDEX case_notes_by_case ON case_notes (case_id, at);
-- Search maps a matching note to its case (and checks closed_only) from this index, not the note's row.
CREATE INDEX case_notes_owner ON case_notes (id, case_id, closed_only);

CREATE TABLE case_transitions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  outcome     TEXT,
  reason      TEXT NOT NULL,
  by_user     INTEGER NOT NULL REFERENCES users(id),
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX case_transitions_by_case ON case_transitions (case_id, id);

-- Full-text search. Postcodes are indexed with and without their space, so "B12 9QR" and "B129QR" both find them.
-- unicode61 with diacritics folded so "Sian" finds "Siân"; prefix indexes make search-as-you-type on two
-- or three letters cheap for names, addresses and references. Notes are matched on whole words (a short
-- prefix would match most of them), so they carry no prefix index.
CREATE VIRTUAL TABLE people_fts USING fts5(names, aliases, identifiers, addresses, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE cases_fts USING fts5(reference, locations, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE notes_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');

CREATE VIEW people_fts_source AS
SELECT p.id AS person_id,
  p.given_name || ' ' || p.family_name AS names,
  (SELECT coalesce(group_concat(alias, ' '), '') FROM person_aliases WHERE person_id = p.id) AS aliases,
  (SELECT coalesce(group_concat(value, ' '), '') FROM person_identifiers WHERE person_id = p.id) AS identifiers,
  (SELECT coalesce(group_concat(line1 || ' ' || coalesce(line2, '') || ' ' || coalesce(town, '') || ' ' || coalesce(postcode, '') || ' ' || replace(coalesce(postcode, ''), ' ', ''), ' '), '')
     FROM person_addresses WHERE person_id = p.id) AS addresses
FROM people p;

CREATE VIEW cases_fts_source AS
SELECT c.id AS case_id, c.reference AS reference,
  (SELECT coalesce(group_concat(label || ' ' || address || ' ' || coalesce(postcode, '') || ' ' || replace(coalesce(postcode, ''), ' ', ''), ' '), '') FROM case_locations WHERE case_id = c.id) AS locations
FROM cases c;

CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
  INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source WHERE person_id = NEW.id;
END;
CREATE TRIGGER people_fts_au AFTER UPDATE OF given_name, family_name ON people BEGIN
  DELETE FROM people_fts WHERE rowid = OLD.id;
  INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source WHERE person_id = NEW.id;
END;
CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
  DELETE FROM people_fts WHERE rowid = OLD.id;
END;
${['person_aliases', 'person_identifiers', 'person_addresses']
  .map(
    (table) => `
CREATE TRIGGER ${table}_fts_ai AFTER INSERT ON ${table} BEGIN
  DELETE FROM people_fts WHERE rowid = NEW.person_id;
  INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source WHERE person_id = NEW.person_id;
END;
CREATE TRIGGER ${table}_fts_ad AFTER DELETE ON ${table} BEGIN
  DELETE FROM people_fts WHERE rowid = OLD.person_id;
  INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source WHERE person_id = OLD.person_id;
END;
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN
  SELECT RAISE(ABORT, '${table} rows are replaced, not updated, so the search index stays in step');
END;`,
  )
  .join('\n')}

CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
  INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id = NEW.id;
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF reference ON cases BEGIN
  DELETE FROM cases_fts WHERE rowid = OLD.id;
  INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id = NEW.id;
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
  DELETE FROM cases_fts WHERE rowid = OLD.id;
END;
CREATE TRIGGER case_locations_fts_ai AFTER INSERT ON case_locations BEGIN
  DELETE FROM cases_fts WHERE rowid = NEW.case_id;
  INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER case_locations_fts_ad AFTER DELETE ON case_locations BEGIN
  DELETE FROM cases_fts WHERE rowid = OLD.case_id;
  INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id = OLD.case_id;
END;
CREATE TRIGGER case_locations_no_update BEFORE UPDATE ON case_locations BEGIN
  SELECT RAISE(ABORT, 'case_locations rows are replaced, not updated, so the search index stays in step');
END;

CREATE TRIGGER case_notes_fts_ai AFTER INSERT ON case_notes BEGIN
  INSERT INTO notes_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER case_notes_fts_au AFTER UPDATE OF body ON case_notes BEGIN
  DELETE FROM notes_fts WHERE rowid = OLD.id;
  INSERT INTO notes_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER case_notes_fts_ad AFTER DELETE ON case_notes BEGIN
  DELETE FROM notes_fts WHERE rowid = OLD.id;
END;
`;

export const migration: Migration = { version: 3, name: 'cases', up: (sql) => sql.exec(schema) };
