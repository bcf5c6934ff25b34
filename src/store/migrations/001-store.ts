// The store itself: its identity, organisations and users. Users are never deleted (the audit log
// refers to them by id); removing one sets removed_at and deletes their key slot.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE organisations (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  statutory  INTEGER NOT NULL CHECK (statutory IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name    TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('manager', 'statutory', 'non_statutory')),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  created_at      TEXT NOT NULL,
  removed_at      TEXT
) STRICT;
`;

export const migration: Migration = { version: 1, name: 'store', up: (sql) => sql.exec(schema) };
