// The closed database's tables for agendas and attendance (issue 15: 1): the content of the agenda items,
// agenda reorders, case raises and attendance register entries a non-statutory member is not shown, keyed
// as in the open store (migration 016 there marks and seals them). No search index: the open store indexes
// none of this text.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE closed_agenda_items (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, proposal_reasons TEXT NOT NULL, added_reason TEXT NOT NULL, removed_reason TEXT
) STRICT;
CREATE TABLE closed_agenda_reorders (id INTEGER PRIMARY KEY, reason TEXT NOT NULL) STRICT;
CREATE TABLE closed_meeting_case_raises (id INTEGER PRIMARY KEY, reason TEXT NOT NULL) STRICT;
CREATE TABLE closed_meeting_attendees (id INTEGER PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL) STRICT;
`;

export const migration: Migration = { version: 4, name: 'closed-agenda', up: (sql) => sql.exec(schema) };
