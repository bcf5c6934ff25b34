// The closed database's tables for meetings, minutes, actions and enforcement (issue 15: 1): the content
// of a closed meeting (place, focus, why its minutes were returned), and of the decisions, addenda,
// actions and enforcement records a non-statutory member is not shown, keyed as in the open store
// (migration 015 there marks and seals them). No search index: the open store indexes none of this text.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE closed_meetings (id INTEGER PRIMARY KEY, place TEXT, place_focus TEXT, minutes_returned TEXT) STRICT;
CREATE TABLE closed_minute_decisions (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;
CREATE TABLE closed_minute_addenda (id INTEGER PRIMARY KEY, text TEXT NOT NULL, reason TEXT NOT NULL) STRICT;
CREATE TABLE closed_actions (id INTEGER PRIMARY KEY, description TEXT NOT NULL, officer TEXT NOT NULL) STRICT;
CREATE TABLE closed_enforcement (id INTEGER PRIMARY KEY, location TEXT, conditions TEXT NOT NULL, prohibitions TEXT NOT NULL) STRICT;
`;

export const migration: Migration = { version: 3, name: 'closed-minutes', up: (sql) => sql.exec(schema) };
