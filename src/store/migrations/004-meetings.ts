// Meetings, their attendance and confidentiality acknowledgements, agendas, minutes (items, paragraphs,
// closed-only spans, decisions, addenda) and actions with their reviews.
// Approved minutes never change: triggers refuse any insert, update or delete of minutes content once
// the meeting's minutes are approved, so even a write that goes around the services (the standard
// SQLCipher tool with the recovery key) is refused. Corrections are addenda, which are only ever added.
import type { Migration } from '../../vault/migrate.js';

const APPROVED = (meetingIdExpr: string) => `(SELECT minutes_status FROM meetings WHERE id = ${meetingIdExpr}) = 'approved'`;
const FROZEN = "SELECT RAISE(ABORT, 'approved minutes never change: add an addendum instead')";

/** Refuses insert, update and delete on a table of minutes content once its meeting's minutes are approved. */
function frozenOnceApproved(table: string): string {
  return `
CREATE TRIGGER ${table}_frozen_insert BEFORE INSERT ON ${table} WHEN ${APPROVED('NEW.meeting_id')} BEGIN ${FROZEN}; END;
CREATE TRIGGER ${table}_frozen_update BEFORE UPDATE ON ${table} WHEN ${APPROVED('OLD.meeting_id')} OR ${APPROVED('NEW.meeting_id')} BEGIN ${FROZEN}; END;
CREATE TRIGGER ${table}_frozen_delete BEFORE DELETE ON ${table} WHEN ${APPROVED('OLD.meeting_id')} BEGIN ${FROZEN}; END;`;
}

const schema = `
CREATE TABLE meetings (
  id                   INTEGER PRIMARY KEY,
  kind                 TEXT NOT NULL CHECK (kind IN ('people', 'place')),
  area                 TEXT NOT NULL,
  date                 TEXT NOT NULL,
  start_time           TEXT NOT NULL,
  end_time             TEXT,
  place                TEXT,
  online               INTEGER NOT NULL CHECK (online IN (0, 1)),
  place_focus          TEXT,
  closed               INTEGER NOT NULL CHECK (closed IN (0, 1)),
  status               TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
  chair_id             INTEGER NOT NULL REFERENCES users(id),
  minute_taker_id      INTEGER NOT NULL REFERENCES users(id),
  quorum_organisations INTEGER NOT NULL CHECK (quorum_organisations >= 1),
  quorum_chair         INTEGER NOT NULL CHECK (quorum_chair IN (0, 1)),
  confidentiality      TEXT NOT NULL,
  minutes_status       TEXT NOT NULL DEFAULT 'not_started' CHECK (minutes_status IN ('not_started', 'draft', 'submitted', 'approved')),
  minutes_started_at   TEXT,
  minutes_started_by   INTEGER REFERENCES users(id),
  minutes_submitted_at TEXT,
  minutes_submitted_by INTEGER REFERENCES users(id),
  minutes_approved_at  TEXT,
  minutes_approved_by  INTEGER REFERENCES users(id),
  minutes_returned     TEXT,
  created_at           TEXT NOT NULL,
  created_by           INTEGER NOT NULL REFERENCES users(id),
  updated_at           TEXT NOT NULL,
  updated_by           INTEGER NOT NULL REFERENCES users(id),
  CHECK ((minutes_status = 'approved') = (minutes_approved_at IS NOT NULL))
) STRICT;
CREATE INDEX meetings_by_date ON meetings (date, start_time, id);
CREATE INDEX meetings_by_area ON meetings (area COLLATE NOCASE, date, start_time, id);

CREATE TABLE meeting_invitees (
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (meeting_id, organisation_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE meeting_attendees (
  id              INTEGER PRIMARY KEY,
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  name            TEXT NOT NULL,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  role            TEXT NOT NULL DEFAULT '',
  user_id         INTEGER REFERENCES users(id),
  attendance      TEXT NOT NULL CHECK (attendance IN ('expected', 'present', 'apologies', 'absent')),
  arrived_at      TEXT,
  left_at         TEXT,
  created_at      TEXT NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX meeting_attendees_by_meeting ON meeting_attendees (meeting_id, id);

-- One acknowledgement of the statement read at the meeting (meetings.confidentiality) per attendee.
CREATE TABLE meeting_acknowledgements (
  attendee_id INTEGER PRIMARY KEY REFERENCES meeting_attendees(id),
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  at          TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX meeting_acknowledgements_by_meeting ON meeting_acknowledgements (meeting_id);

CREATE TABLE meeting_case_raises (
  id              INTEGER PRIMARY KEY,
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  reason          TEXT NOT NULL,
  raised_by       INTEGER NOT NULL REFERENCES users(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  at              TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_case_raises_by_meeting ON meeting_case_raises (meeting_id, case_id);

CREATE TABLE agenda_items (
  id               INTEGER PRIMARY KEY,
  meeting_id       INTEGER NOT NULL REFERENCES meetings(id),
  position         INTEGER NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('case', 'previous_minutes', 'actions_review', 'other')),
  case_id          INTEGER REFERENCES cases(id),
  title            TEXT NOT NULL,
  proposal_reasons TEXT NOT NULL DEFAULT '[]',
  added_reason     TEXT NOT NULL,
  added_by         INTEGER NOT NULL REFERENCES users(id),
  added_at         TEXT NOT NULL,
  removed_reason   TEXT,
  removed_by       INTEGER REFERENCES users(id),
  removed_at       TEXT,
  CHECK ((kind = 'case') = (case_id IS NOT NULL)),
  CHECK ((removed_at IS NULL) = (removed_reason IS NULL))
) STRICT;
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, position);
CREATE INDEX agenda_items_by_case ON agenda_items (case_id, meeting_id) WHERE case_id IS NOT NULL;

CREATE TABLE agenda_reorders (
  id         INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  item_ids   TEXT NOT NULL,
  reason     TEXT NOT NULL,
  by_user    INTEGER NOT NULL REFERENCES users(id),
  at         TEXT NOT NULL
) STRICT;
CREATE INDEX agenda_reorders_by_meeting ON agenda_reorders (meeting_id);

-- The minutes of one agenda item. The revision goes up with every saved change, so an autosave from a
-- stale copy is refused rather than overwriting a newer one.
CREATE TABLE minute_items (
  agenda_item_id INTEGER PRIMARY KEY REFERENCES agenda_items(id),
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
  revision       INTEGER NOT NULL,
  updated_at     TEXT NOT NULL,
  updated_by     INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX minute_items_by_meeting ON minute_items (meeting_id);

CREATE TABLE minute_paragraphs (
  id             INTEGER PRIMARY KEY,
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  position       INTEGER NOT NULL,
  text           TEXT NOT NULL,
  closed_only    INTEGER NOT NULL CHECK (closed_only IN (0, 1))
) STRICT;
CREATE INDEX minute_paragraphs_by_meeting ON minute_paragraphs (meeting_id, agenda_item_id, position);

-- [start_offset, end_offset) in UTF-16 code units of the paragraph's text.
CREATE TABLE minute_spans (
  id           INTEGER PRIMARY KEY,
  meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
  paragraph_id INTEGER NOT NULL REFERENCES minute_paragraphs(id),
  start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
  end_offset   INTEGER NOT NULL,
  CHECK (end_offset > start_offset)
) STRICT;
CREATE INDEX minute_spans_by_meeting ON minute_spans (meeting_id, paragraph_id, start_offset);

CREATE TABLE minute_decisions (
  id                 INTEGER PRIMARY KEY,
  meeting_id         INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id     INTEGER NOT NULL REFERENCES agenda_items(id),
  kind               TEXT NOT NULL CHECK (kind IN ('decision', 'case_status', 'risk_change')),
  text               TEXT NOT NULL,
  closed_only        INTEGER NOT NULL CHECK (closed_only IN (0, 1)),
  case_id            INTEGER REFERENCES cases(id),
  from_status        TEXT,
  to_status          TEXT,
  outcome            TEXT,
  risk_from          TEXT,
  risk_to            TEXT,
  personal_harm      TEXT,
  community_harm     TEXT,
  environmental_harm TEXT,
  by_user            INTEGER NOT NULL REFERENCES users(id),
  at                 TEXT NOT NULL
) STRICT;
CREATE INDEX minute_decisions_by_meeting ON minute_decisions (meeting_id, agenda_item_id, id);

CREATE TABLE minute_addenda (
  id             INTEGER PRIMARY KEY,
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  text           TEXT NOT NULL,
  reason         TEXT NOT NULL,
  closed_only    INTEGER NOT NULL CHECK (closed_only IN (0, 1)),
  author_id      INTEGER NOT NULL REFERENCES users(id),
  at             TEXT NOT NULL
) STRICT;
CREATE INDEX minute_addenda_by_meeting ON minute_addenda (meeting_id, agenda_item_id, id);

CREATE TABLE actions (
  id              INTEGER PRIMARY KEY,
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id  INTEGER REFERENCES agenda_items(id),
  case_id         INTEGER REFERENCES cases(id),
  description     TEXT NOT NULL,
  owner_org_id    INTEGER NOT NULL REFERENCES organisations(id),
  officer         TEXT NOT NULL,
  due_date        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('open', 'done', 'carried_over', 'failed')),
  failure_reason  TEXT CHECK (failure_reason IN ('changed_circumstances', 'agency_did_not_act', 'person_disengaged', 'other')),
  closed_only     INTEGER NOT NULL CHECK (closed_only IN (0, 1)),
  created_at      TEXT NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  updated_at      TEXT NOT NULL,
  CHECK ((status = 'failed') = (failure_reason IS NOT NULL))
) STRICT;
-- A meeting's own actions, and the review of earlier meetings' incomplete ones (by meeting, then status).
CREATE INDEX actions_by_meeting ON actions (meeting_id, status, case_id);
-- Agenda proposals count each case's incomplete and overdue actions from this index alone.
CREATE INDEX actions_incomplete_by_case ON actions (case_id, due_date) WHERE status IN ('open', 'carried_over') AND case_id IS NOT NULL;
-- "My organisation's actions" and the overdue list.
CREATE INDEX actions_by_owner ON actions (owner_org_id, status, due_date);
CREATE INDEX actions_incomplete_by_due ON actions (due_date, id) WHERE status IN ('open', 'carried_over');

CREATE TABLE action_reviews (
  id             INTEGER PRIMARY KEY,
  action_id      INTEGER NOT NULL REFERENCES actions(id),
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
  outcome        TEXT NOT NULL CHECK (outcome IN ('done', 'carried_over', 'failed')),
  new_due_date   TEXT,
  failure_reason TEXT,
  note           TEXT NOT NULL DEFAULT '',
  by_user        INTEGER NOT NULL REFERENCES users(id),
  at             TEXT NOT NULL
) STRICT;
CREATE INDEX action_reviews_by_action ON action_reviews (action_id, id);
CREATE INDEX action_reviews_by_meeting ON action_reviews (meeting_id);

-- The agenda proposal reads an area's open cases by review date without touching the wide rows.
CREATE INDEX cases_by_area_review ON cases (area COLLATE NOCASE, status, review_date, closed_only);

${['agenda_items', 'agenda_reorders', 'minute_items', 'minute_paragraphs', 'minute_spans', 'minute_decisions', 'meeting_attendees', 'meeting_acknowledgements', 'meeting_invitees', 'meeting_case_raises'].map(frozenOnceApproved).join('\n')}

-- A review belongs to the minutes of the meeting that reviewed the action.
CREATE TRIGGER action_reviews_frozen_insert BEFORE INSERT ON action_reviews WHEN ${APPROVED('NEW.meeting_id')} BEGIN ${FROZEN}; END;
CREATE TRIGGER action_reviews_no_update BEFORE UPDATE ON action_reviews BEGIN SELECT RAISE(ABORT, 'action reviews are a record: they are never changed'); END;
CREATE TRIGGER action_reviews_no_delete BEFORE DELETE ON action_reviews BEGIN SELECT RAISE(ABORT, 'action reviews are a record: they are never deleted'); END;
-- An action agreed in approved minutes keeps its wording; only its status moves on, through reviews.
CREATE TRIGGER actions_frozen_insert BEFORE INSERT ON actions WHEN ${APPROVED('NEW.meeting_id')} BEGIN ${FROZEN}; END;
CREATE TRIGGER actions_frozen_update BEFORE UPDATE OF meeting_id, agenda_item_id, case_id, description, owner_org_id, officer, closed_only, created_at, created_by ON actions
  WHEN ${APPROVED('OLD.meeting_id')} BEGIN ${FROZEN}; END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions BEGIN SELECT RAISE(ABORT, 'actions are a record: they are never deleted'); END;

-- Addenda are only ever added, and only to approved minutes.
CREATE TRIGGER minute_addenda_only_approved BEFORE INSERT ON minute_addenda WHEN NOT ${APPROVED('NEW.meeting_id')} BEGIN
  SELECT RAISE(ABORT, 'addenda correct approved minutes: edit the draft instead');
END;
CREATE TRIGGER minute_addenda_no_update BEFORE UPDATE ON minute_addenda BEGIN SELECT RAISE(ABORT, 'addenda are never changed: add another'); END;
CREATE TRIGGER minute_addenda_no_delete BEFORE DELETE ON minute_addenda BEGIN SELECT RAISE(ABORT, 'addenda are never deleted'); END;

-- Once approved, the meeting row itself (details, approval) is fixed, and no meeting is ever deleted.
CREATE TRIGGER meetings_frozen_update BEFORE UPDATE ON meetings WHEN OLD.minutes_status = 'approved' BEGIN ${FROZEN}; END;
CREATE TRIGGER meetings_no_delete BEFORE DELETE ON meetings BEGIN SELECT RAISE(ABORT, 'meetings are a record: cancel one instead of deleting it'); END;
`;

export const migration: Migration = { version: 4, name: 'meetings', up: (sql) => sql.exec(schema) };
