// Who is looking, and the SQL conditions that hide what they may not see. Every case and person query
// joins one of these, so closed-meeting-only data is filtered where it is read, not after.
import type { Role } from '../contract/operation.js';
import { mayReceiveClosedOnly } from '../domain/access.js';
import { SQL_TRUE, sql, sqlIdentifier, type SqlQuery } from './sql.js';

export interface Viewer {
  userId: number;
  role: Role;
}

/** A condition on a cases row (by its alias in the query) that is true when the viewer may see it. */
export function caseVisible(viewer: Pick<Viewer, 'role'>, alias = 'c'): SqlQuery {
  return mayReceiveClosedOnly(viewer.role) ? SQL_TRUE : sql`${sqlIdentifier(alias)}.closed_only = 0`;
}

/** A condition on a case_notes row (by its alias). */
export function noteVisible(viewer: Pick<Viewer, 'role'>, alias = 'n'): SqlQuery {
  return markedVisible(viewer, alias);
}

/** A condition on any row that carries its own closed_only mark (a note, a case's step, a link), by its alias. */
export function markedVisible(viewer: Pick<Viewer, 'role'>, alias: string): SqlQuery {
  return mayReceiveClosedOnly(viewer.role) ? SQL_TRUE : sql`${sqlIdentifier(alias)}.closed_only = 0`;
}

/**
 * A condition on a person id (an expression such as `p.id`). A non-statutory member sees a person who is a
 * subject of an open case, or one they recorded themselves that is on no case yet. A person known only from
 * closed-only cases is closed-only too (their name alone would tell that a closed meeting is discussing
 * them); a person on no case (saved from an abandoned form, or taken off a closed-only case) is seen by the
 * statutory partners, the managers and whoever recorded them, not by every member.
 */
export function personVisible(viewer: Viewer, personId: SqlQuery = sql`p.id`): SqlQuery {
  if (mayReceiveClosedOnly(viewer.role)) return SQL_TRUE;
  return sql`(EXISTS (SELECT 1 FROM case_subjects vs JOIN cases vc ON vc.id = vs.case_id WHERE vs.person_id = ${personId} AND vc.closed_only = 0)
    OR (NOT EXISTS (SELECT 1 FROM case_subjects vs WHERE vs.person_id = ${personId})
      AND EXISTS (SELECT 1 FROM people vp WHERE vp.id = ${personId} AND vp.created_by = ${viewer.userId})))`;
}
