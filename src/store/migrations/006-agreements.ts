// Membership and information-sharing agreements. Templates are versioned and never edited in place;
// an agreement is a draft until it is signed, and from then on its row is sealed: triggers refuse any
// UPDATE or DELETE of a signed agreement, whatever code (or whoever, with the key and the sqlcipher tool)
// issues it. What happens to an agreement later (terminated) is a new row in its own append-only table;
// superseded, due for review and expired are read from dates and later rows, never written back.
import type { Migration } from '../../vault/migrate.js';

const KINDS = "('membership', 'information_sharing')";

const schema = `
CREATE TABLE agreement_templates (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ${KINDS}),
  version    INTEGER NOT NULL CHECK (version >= 1),
  content    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- NULL for the version Concordat ships with.
  created_by INTEGER REFERENCES users(id),
  UNIQUE (kind, version)
) STRICT;

CREATE TRIGGER agreement_templates_no_update BEFORE UPDATE ON agreement_templates
BEGIN SELECT RAISE(ABORT, 'a template version cannot be changed: an edit makes a new version'); END;
CREATE TRIGGER agreement_templates_no_delete BEFORE DELETE ON agreement_templates
BEGIN SELECT RAISE(ABORT, 'a template version cannot be deleted: agreements refer to it'); END;

CREATE TABLE agreements (
  id              INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind            TEXT NOT NULL CHECK (kind IN ${KINDS}),
  version         INTEGER NOT NULL CHECK (version >= 1),
  template_id     INTEGER NOT NULL REFERENCES agreement_templates(id),
  group_name      TEXT NOT NULL,
  partner_type    TEXT,
  expectations    TEXT NOT NULL DEFAULT '[]',
  supersedes_id   INTEGER REFERENCES agreements(id),
  created_at      TEXT NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  updated_at      TEXT NOT NULL,
  -- Set together, once, when the agreement is signed; the row never changes after.
  signed_at       TEXT,
  signed_on       TEXT,
  review_date     TEXT,
  valid_until     TEXT,
  sealed          TEXT,
  hash            TEXT,
  recorded_by     INTEGER REFERENCES users(id),
  UNIQUE (organisation_id, kind, version),
  CHECK ((signed_at IS NULL) = (sealed IS NULL) AND (sealed IS NULL) = (hash IS NULL) AND (hash IS NULL) = (signed_on IS NULL)
     AND (signed_on IS NULL) = (review_date IS NULL) AND (review_date IS NULL) = (valid_until IS NULL) AND (valid_until IS NULL) = (recorded_by IS NULL)),
  CHECK (hash IS NULL OR (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'))
) STRICT;
-- One open draft per organisation and kind: a second would race the first to be signed.
CREATE UNIQUE INDEX agreements_one_draft ON agreements (organisation_id, kind) WHERE signed_at IS NULL;
CREATE INDEX agreements_by_organisation ON agreements (organisation_id, kind, signed_at);

CREATE TRIGGER agreements_signed_no_update BEFORE UPDATE ON agreements WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed agreement cannot be changed: make a new version and sign it'); END;
CREATE TRIGGER agreements_signed_no_delete BEFORE DELETE ON agreements WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed agreement cannot be deleted'); END;

CREATE TABLE agreement_terminations (
  agreement_id INTEGER PRIMARY KEY REFERENCES agreements(id),
  at           TEXT NOT NULL,
  reason       TEXT NOT NULL,
  by_user      INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE TRIGGER agreement_terminations_signed_only BEFORE INSERT ON agreement_terminations
WHEN (SELECT signed_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'only a signed agreement can be terminated'); END;
CREATE TRIGGER agreement_terminations_no_update BEFORE UPDATE ON agreement_terminations
BEGIN SELECT RAISE(ABORT, 'a termination cannot be changed'); END;
CREATE TRIGGER agreement_terminations_no_delete BEFORE DELETE ON agreement_terminations
BEGIN SELECT RAISE(ABORT, 'a termination cannot be undone: sign a new agreement'); END;
`;

// File 005 and version 5 at merge: meetings (another branch) claims 004 and version 4. On this branch alone
// the versions must stay contiguous, so it runs as 4 here; the lead sets it to 5 when merging.
export const migration: Migration = { version: 6, name: 'agreements', up: (sql) => sql.exec(schema) };
