// Retention (issue 19: 2). The schedule is a table, not meta keys: it is one row per record type and
// ending, with who last changed it, and a CHECK keeps its months in range whoever writes it. Decisions are
// a history (each keep, pseudonymisation or erasure decision with its reason), the latest one per case
// counting. What a pseudonymised person keeps of who they were (a year of birth, a ward) has its own
// table, so the people rows and their mappers stay as they are.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE retention_schedule (
  record_type TEXT NOT NULL CHECK (record_type IN ('case')),
  ending      TEXT NOT NULL CHECK (ending IN ('resolved', 'not_resolved', 'transferred', 'declined')),
  months      INTEGER NOT NULL CHECK (months BETWEEN 0 AND 120),
  updated_at  TEXT,
  updated_by  INTEGER REFERENCES users(id),
  PRIMARY KEY (record_type, ending)
) STRICT, WITHOUT ROWID;
INSERT INTO retention_schedule (record_type, ending, months) VALUES
  ('case', 'resolved', 12), ('case', 'not_resolved', 12), ('case', 'transferred', 12), ('case', 'declined', 12);

-- Erasing a case takes its decisions with it (the audit log keeps their ids): a keep reason may name someone.
CREATE TABLE retention_decisions (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  decision   TEXT NOT NULL CHECK (decision IN ('keep', 'pseudonymise', 'erase')),
  reason     TEXT NOT NULL DEFAULT '',
  review_on  TEXT,
  decided_by INTEGER NOT NULL REFERENCES users(id),
  decided_at TEXT NOT NULL,
  CHECK ((decision = 'keep') = (review_on IS NOT NULL))
) STRICT;
CREATE INDEX retention_decisions_by_case ON retention_decisions (case_id, id);

CREATE TABLE pseudonymised_people (
  person_id  INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  birth_year INTEGER,
  ward       TEXT,
  at         TEXT NOT NULL
) STRICT;
`;

export const migration: Migration = { version: 9, name: 'retention', up: (sql) => sql.exec(schema) };
