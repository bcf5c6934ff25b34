// People whose every case is closed-only (issue 15: 1): their names, aliases, addresses, identifiers,
// contacts and household, keyed as in the open store, and their own full-text index, which search reads
// beside the open store's people_fts for those who hold the closed key (src/store/case-queries.ts).
import type { Migration } from '../../vault/migrate.js';

const TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'";
const REINDEX = (personId: string) => `
  DELETE FROM closed_people_fts WHERE rowid = ${personId};
  INSERT INTO closed_people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM closed_people_fts_source WHERE person_id = ${personId};`;

const schema = `
CREATE TABLE closed_people (
  id            INTEGER PRIMARY KEY,
  given_name    TEXT NOT NULL,
  family_name   TEXT NOT NULL,
  date_of_birth TEXT,
  gender        TEXT,
  contacts      TEXT NOT NULL,
  household     TEXT NOT NULL
) STRICT;
CREATE TABLE closed_person_aliases (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL, alias TEXT NOT NULL) STRICT;
CREATE INDEX closed_person_aliases_by_person ON closed_person_aliases (person_id);
CREATE TABLE closed_person_addresses (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL,
  line1       TEXT NOT NULL,
  line2       TEXT,
  town        TEXT,
  postcode    TEXT,
  ward        TEXT,
  address_key TEXT
) STRICT;
CREATE INDEX closed_person_addresses_by_person ON closed_person_addresses (person_id);
CREATE TABLE closed_person_identifiers (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL, value TEXT NOT NULL) STRICT;
CREATE INDEX closed_person_identifiers_by_person ON closed_person_identifiers (person_id);

-- The same columns, tokenizer and prefixes as the open store's people_fts, one row per person (rowid = id).
CREATE VIRTUAL TABLE closed_people_fts USING fts5(names, aliases, identifiers, addresses, ${TOKENIZE}, prefix = '2 3 4');
INSERT INTO closed_people_fts (closed_people_fts, rank) VALUES ('secure-delete', 1);
CREATE VIEW closed_people_fts_source AS
SELECT p.id AS person_id,
  p.given_name || ' ' || p.family_name AS names,
  (SELECT coalesce(group_concat(alias, ' '), '') FROM closed_person_aliases WHERE person_id = p.id) AS aliases,
  (SELECT coalesce(group_concat(value, ' '), '') FROM closed_person_identifiers WHERE person_id = p.id) AS identifiers,
  (SELECT coalesce(group_concat(line1 || ' ' || coalesce(line2, '') || ' ' || coalesce(town, '') || ' ' || coalesce(postcode, '') || ' ' || replace(coalesce(postcode, ''), ' ', ''), ' '), '')
     FROM closed_person_addresses WHERE person_id = p.id) AS addresses
FROM closed_people p;

-- Rows are only ever inserted (or replaced) and deleted here; an update is handled too, for completeness.
CREATE TRIGGER closed_people_fts_ai AFTER INSERT ON closed_people BEGIN ${REINDEX('NEW.id')} END;
CREATE TRIGGER closed_people_fts_au AFTER UPDATE ON closed_people BEGIN ${REINDEX('OLD.id')} ${REINDEX('NEW.id')} END;
CREATE TRIGGER closed_people_fts_ad AFTER DELETE ON closed_people BEGIN DELETE FROM closed_people_fts WHERE rowid = OLD.id; END;
${['closed_person_aliases', 'closed_person_addresses', 'closed_person_identifiers']
  .map(
    (table) => `
CREATE TRIGGER ${table}_fts_ai AFTER INSERT ON ${table} BEGIN ${REINDEX('NEW.person_id')} END;
CREATE TRIGGER ${table}_fts_au AFTER UPDATE ON ${table} BEGIN ${REINDEX('OLD.person_id')} ${REINDEX('NEW.person_id')} END;
CREATE TRIGGER ${table}_fts_ad AFTER DELETE ON ${table} BEGIN ${REINDEX('OLD.person_id')} END;`,
  )
  .join('\n')}
`;

export const migration: Migration = { version: 2, name: 'closed-people', up: (sql) => sql.exec(schema) };
