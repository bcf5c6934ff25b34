// Enforcement under the 2014 Act with its breaches, escalations, ASB Case Reviews (Community Trigger) with
// incidents and recommendations, and the partnership activities the terms of reference count.
// The date rules are checked by the services and again here, so a write that goes around them is refused.
import type { Migration } from '../../vault/migrate.js';

const TYPES =
  "'community_protection_warning', 'community_protection_notice', 'civil_injunction', 'criminal_behaviour_order', 'closure_notice', 'closure_order', 'acceptable_behaviour_contract', 'public_spaces_protection_order'";
const STAGES = "'issued', 'served', 'applied', 'granted', 'refused', 'expired', 'discharged', 'revoked'";

const schema = `
CREATE TABLE enforcement (
  id              INTEGER PRIMARY KEY,
  type            TEXT NOT NULL CHECK (type IN (${TYPES})),
  case_id         INTEGER REFERENCES cases(id),
  area            TEXT NOT NULL,
  location        TEXT,
  prohibitions    TEXT NOT NULL DEFAULT '[]',
  power_of_arrest INTEGER NOT NULL CHECK (power_of_arrest IN (0, 1)),
  stage           TEXT NOT NULL CHECK (stage IN (${STAGES})),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  issued_on       TEXT,
  served_on       TEXT,
  hearing_on      TEXT,
  granted_on      TEXT,
  expiry_on       TEXT,
  conditions      TEXT NOT NULL DEFAULT '',
  decision_id     INTEGER REFERENCES minute_decisions(id),
  prior_id        INTEGER REFERENCES enforcement(id),
  closed_only     INTEGER NOT NULL CHECK (closed_only IN (0, 1)),
  created_at      TEXT NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  updated_at      TEXT NOT NULL,
  updated_by      INTEGER NOT NULL REFERENCES users(id),
  CHECK ((type = 'public_spaces_protection_order') = (case_id IS NULL)),
  CHECK (power_of_arrest = 0 OR type = 'civil_injunction'),
  CHECK (served_on IS NULL OR issued_on IS NULL OR served_on >= issued_on),
  CHECK (granted_on IS NULL OR issued_on IS NULL OR granted_on >= issued_on),
  CHECK (expiry_on IS NULL OR granted_on IS NULL OR expiry_on >= granted_on),
  CHECK (expiry_on IS NULL OR issued_on IS NULL OR expiry_on >= issued_on)
) STRICT;
CREATE INDEX enforcement_by_case ON enforcement (case_id, id);
CREATE INDEX enforcement_by_expiry ON enforcement (expiry_on);
CREATE INDEX enforcement_by_area ON enforcement (area COLLATE NOCASE, type);
CREATE INDEX enforcement_by_issued ON enforcement (issued_on);

CREATE TABLE enforcement_breaches (
  id             INTEGER PRIMARY KEY,
  enforcement_id INTEGER NOT NULL REFERENCES enforcement(id),
  date           TEXT NOT NULL,
  reported_by    TEXT NOT NULL,
  action_taken   TEXT NOT NULL,
  recorded_by    INTEGER NOT NULL REFERENCES users(id),
  recorded_at    TEXT NOT NULL
) STRICT;
CREATE INDEX enforcement_breaches_by_record ON enforcement_breaches (enforcement_id, date);
CREATE TRIGGER enforcement_breaches_no_delete BEFORE DELETE ON enforcement_breaches BEGIN SELECT RAISE(ABORT, 'breaches are a record: they are never deleted'); END;

CREATE TABLE escalations (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  kind        TEXT NOT NULL CHECK (kind IN ('disruption_planning_meeting', 'task_and_finish_group')),
  referred_on TEXT NOT NULL,
  referred_by INTEGER NOT NULL REFERENCES users(id),
  shared      TEXT NOT NULL,
  recipients  TEXT NOT NULL,
  outcome     TEXT,
  returned_on TEXT,
  created_at  TEXT NOT NULL,
  CHECK (returned_on IS NULL OR returned_on >= referred_on)
) STRICT;
CREATE INDEX escalations_by_case ON escalations (case_id, id);
CREATE INDEX escalations_by_date ON escalations (referred_on);

CREATE TABLE community_triggers (
  id                  INTEGER PRIMARY KEY,
  area                TEXT NOT NULL,
  applicant           TEXT NOT NULL,
  consent             INTEGER NOT NULL CHECK (consent IN (0, 1)),
  on_behalf_of        TEXT,
  application_date    TEXT NOT NULL,
  case_id             INTEGER REFERENCES cases(id),
  persistent_harm     INTEGER NOT NULL CHECK (persistent_harm IN (0, 1)),
  threshold_complaints INTEGER NOT NULL,
  threshold_days      INTEGER NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('received', 'threshold_met', 'threshold_not_met', 'review_held', 'closed')),
  decided_on          TEXT,
  decision_met        INTEGER CHECK (decision_met IN (0, 1)),
  decision_reasons    TEXT,
  review_date         TEXT,
  review_notes        TEXT,
  outcome             TEXT,
  appeal              TEXT,
  created_at          TEXT NOT NULL,
  created_by          INTEGER NOT NULL REFERENCES users(id),
  CHECK (decided_on IS NULL OR decided_on >= application_date),
  CHECK (review_date IS NULL OR decided_on IS NOT NULL AND review_date >= decided_on)
) STRICT;
CREATE INDEX community_triggers_by_date ON community_triggers (application_date);

CREATE TABLE community_trigger_incidents (
  id         INTEGER PRIMARY KEY,
  trigger_id INTEGER NOT NULL REFERENCES community_triggers(id),
  date       TEXT NOT NULL,
  agency     TEXT NOT NULL,
  reference  TEXT NOT NULL
) STRICT;
CREATE INDEX community_trigger_incidents_by_trigger ON community_trigger_incidents (trigger_id, date);

CREATE TABLE community_trigger_recommendations (
  id         INTEGER PRIMARY KEY,
  trigger_id INTEGER NOT NULL REFERENCES community_triggers(id),
  text       TEXT NOT NULL,
  owner      TEXT NOT NULL,
  due        TEXT NOT NULL
) STRICT;
CREATE INDEX community_trigger_recommendations_by_trigger ON community_trigger_recommendations (trigger_id, id);

CREATE TABLE partnership_activities (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('face_the_public', 'community_tension')),
  date        TEXT NOT NULL,
  area        TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX partnership_activities_by_date ON partnership_activities (date, kind);

-- The indicators count closures in a period from the transitions.
CREATE INDEX case_transitions_by_status_at ON case_transitions (to_status, at);
`;

export const migration: Migration = { version: 7, name: 'enforcement', up: (sql) => sql.exec(schema) };
