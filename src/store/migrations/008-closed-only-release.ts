// What is said about a closed-only case stays closed-only (issue 16: 4). Transitions and links carry
// their own mark, as notes do, so clearing a case's mark releases nothing by itself; a manager's reviewed
// release is recorded with its reason and what it released or kept. Users remember their last working
// context, offered as a suggestion at the next unlock (issue 16: 8).
import type { Migration } from '../../vault/migrate.js';

const schema = `
ALTER TABLE case_transitions ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));
ALTER TABLE case_links ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));

-- Nothing tells which notes, steps and links were written while a case was closed-only: whatever is on a
-- case closed-only today is taken to have been, and stays closed until a manager releases it.
UPDATE case_notes SET closed_only = 1 WHERE case_id IN (SELECT id FROM cases WHERE closed_only = 1);
UPDATE case_transitions SET closed_only = 1 WHERE case_id IN (SELECT id FROM cases WHERE closed_only = 1);
UPDATE case_links SET closed_only = 1
  WHERE case_id IN (SELECT id FROM cases WHERE closed_only = 1) OR other_case_id IN (SELECT id FROM cases WHERE closed_only = 1);

CREATE TABLE case_releases (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  reason   TEXT NOT NULL,
  released TEXT NOT NULL DEFAULT '[]',
  kept     TEXT NOT NULL DEFAULT '[]',
  by_user  INTEGER NOT NULL REFERENCES users(id),
  at       TEXT NOT NULL
) STRICT;
CREATE INDEX case_releases_by_case ON case_releases (case_id, id);

ALTER TABLE users ADD COLUMN last_justification TEXT;
`;

export const migration: Migration = { version: 8, name: 'closed-only release', up: (sql) => sql.exec(schema) };
