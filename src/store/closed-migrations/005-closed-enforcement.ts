// The closed database's tables for the records hung on closed-only content (issue 15: 1): action reviews,
// breaches, escalations, Community Triggers with their incidents and recommendations, retention decisions and
// release records of closed-only cases, and what a closed-only pseudonymised person keeps, keyed as in the
// open store (migration 017 there marks and seals them). No search index: the open store indexes none of this text.
import type { Migration } from '../../vault/migrate.js';

const schema = `
CREATE TABLE closed_action_reviews (id INTEGER PRIMARY KEY, note TEXT NOT NULL, failure_reason TEXT) STRICT;
CREATE TABLE closed_enforcement_breaches (id INTEGER PRIMARY KEY, reported_by TEXT NOT NULL, action_taken TEXT NOT NULL) STRICT;
CREATE TABLE closed_escalations (id INTEGER PRIMARY KEY, shared TEXT NOT NULL, recipients TEXT NOT NULL, outcome TEXT) STRICT;
CREATE TABLE closed_community_triggers (
  id               INTEGER PRIMARY KEY,
  applicant        TEXT NOT NULL,
  on_behalf_of     TEXT,
  decision_reasons TEXT,
  review_notes     TEXT,
  outcome          TEXT,
  appeal           TEXT
) STRICT;
CREATE TABLE closed_community_trigger_incidents (id INTEGER PRIMARY KEY, agency TEXT NOT NULL, reference TEXT NOT NULL) STRICT;
CREATE TABLE closed_community_trigger_recommendations (id INTEGER PRIMARY KEY, text TEXT NOT NULL, owner TEXT NOT NULL) STRICT;
CREATE TABLE closed_retention_decisions (id INTEGER PRIMARY KEY, reason TEXT NOT NULL) STRICT;
CREATE TABLE closed_case_releases (id INTEGER PRIMARY KEY, reason TEXT NOT NULL) STRICT;
CREATE TABLE closed_pseudonymised_people (person_id INTEGER PRIMARY KEY, birth_year INTEGER, ward TEXT) STRICT;
`;

export const migration: Migration = { version: 5, name: 'closed-enforcement', up: (sql) => sql.exec(schema) };
