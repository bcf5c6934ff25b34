// Who is looking, and the SQL that hides what they may not see. Every case and person query joins one
// of these, so closed-meeting-only data is filtered where it is read, not after.
import type { Role } from '../contract/operation.js';
import { mayReceiveClosedOnly } from '../domain/access.js';
import type { Call } from './types.js';

export interface Viewer {
  userId: number;
  role: Role;
}

export function viewerOf(call: Pick<Call, 'session'>): Viewer {
  return { userId: call.session.user.id, role: call.session.user.role };
}

/** A condition on a cases row (by alias) that is true when the viewer may see it. */
export function caseVisible(viewer: Viewer, alias = 'c'): string {
  return mayReceiveClosedOnly(viewer.role) ? '1' : `${alias}.closed_only = 0`;
}

/** A condition on a case_notes row (by alias). */
export function noteVisible(viewer: Viewer, alias = 'n'): string {
  return mayReceiveClosedOnly(viewer.role) ? '1' : `${alias}.closed_only = 0`;
}

/**
 * A condition on a person id. A person known only from closed-only cases is closed-only too: their
 * name alone would tell a non-statutory member that a closed meeting is discussing them. A person on no
 * case yet, or on any open case, is visible.
 */
export function personVisible(viewer: Viewer, idExpr = 'p.id'): string {
  if (mayReceiveClosedOnly(viewer.role)) return '1';
  return `NOT (EXISTS (SELECT 1 FROM case_subjects vs JOIN cases vc ON vc.id = vs.case_id WHERE vs.person_id = ${idExpr} AND vc.closed_only = 1)
    AND NOT EXISTS (SELECT 1 FROM case_subjects vs JOIN cases vc ON vc.id = vs.case_id WHERE vs.person_id = ${idExpr} AND vc.closed_only = 0))`;
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
