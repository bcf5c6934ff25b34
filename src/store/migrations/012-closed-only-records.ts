// Escalations and Community Triggers on a closed-only case carry their own closed-only mark, as notes,
// steps, links and enforcement records do (issue 16, finding 3: a release lists everything said while a
// case was closed). Until now they were hidden only through their case, so clearing the case's mark
// released what was shared with a Disruption Planning Meeting, and a trigger's applicant, unreviewed.
import type { Migration } from '../../vault/migrate.js';

const schema = `
ALTER TABLE escalations ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));
ALTER TABLE community_triggers ADD COLUMN closed_only INTEGER NOT NULL DEFAULT 0 CHECK (closed_only IN (0, 1));

-- As in 008: what is on a case closed-only today is taken to have been written while it was.
UPDATE escalations SET closed_only = 1 WHERE case_id IN (SELECT id FROM cases WHERE closed_only = 1);
UPDATE community_triggers SET closed_only = 1 WHERE case_id IN (SELECT id FROM cases WHERE closed_only = 1);
`;

export const migration: Migration = { version: 12, name: 'closed-only escalations and triggers', up: (sql) => sql.exec(schema) };
