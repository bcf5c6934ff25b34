// The append-only audit log (DPA 2018 s62). Each row holds the hash of the one before; triggers refuse
// UPDATE and DELETE so no code path (and no mistaken query) can rewrite history. Rows hold ids and field
// names, never case content, so erasing a case never touches the chain.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE audit_log (
  seq           INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  user_id       INTEGER,
  username      TEXT,
  organisation  TEXT,
  role          TEXT,
  kind          TEXT NOT NULL,
  operation     TEXT NOT NULL,
  entity_type   TEXT,
  entity_id     TEXT,
  justification TEXT,
  recipients    TEXT NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
  error_code    TEXT,
  details       TEXT NOT NULL,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_by_user   ON audit_log (user_id, seq);
CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_by_kind   ON audit_log (kind, seq);
CREATE INDEX audit_log_by_time   ON audit_log (at);
CREATE INDEX audit_log_by_org    ON audit_log (organisation, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
`;

export const migration: Migration = { version: 2, name: 'audit-log', up: (sql) => sql.exec(schema) };
