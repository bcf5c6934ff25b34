// Who may do what. The contract's `access` on each operation is the one source of truth for calling;
// this module reads it into a table (for the UI, the docs and the access-matrix test) and adds the rule
// that cuts across operations: closed-meeting-only data never reaches a non-statutory member.
import { operations, OPERATION_NAMES, type OperationName } from '../contract/operations.js';
import { ROLES, mayCall, needsJustification, requiredAgreements, type Role } from '../contract/operation.js';
import type { AgreementKind } from './agreements.js';
import type { AuditKind } from '../contract/audit-kinds.js';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  manager: 'Partnership manager',
  statutory: 'Statutory partner',
  non_statutory: 'Non-statutory member',
};

export interface PolicyRow {
  operation: OperationName;
  /** Callable without a session (set-up, unlock, status). */
  public: boolean;
  roles: readonly Role[];
  auditKind: AuditKind | null;
  justification: boolean;
  /** Signed agreements the caller's organisation must have in force, when the store enforces them. */
  agreements: readonly AgreementKind[];
}

export const POLICY: readonly PolicyRow[] = OPERATION_NAMES.map((operation) => {
  const definition = operations[operation];
  return {
    operation,
    public: definition.access === 'public',
    roles: ROLES.filter((role) => mayCall(definition, role)),
    auditKind: definition.audit?.kind ?? null,
    justification: needsJustification(definition),
    agreements: requiredAgreements(operation, definition),
  };
});

export function policyFor(operation: OperationName): PolicyRow {
  return POLICY.find((row) => row.operation === operation)!;
}

/** Closed People meetings are for statutory partners only (the manager is one); so is what is said there. */
export function mayReceiveClosedOnly(role: Role): boolean {
  return role !== 'non_statutory';
}

/** Whoever may not see closed-only data may not create it either: they could not see what they had marked. */
export function mayMarkClosedOnly(role: Role): boolean {
  return mayReceiveClosedOnly(role);
}

/**
 * Whether any object anywhere inside a value is flagged closed-only. The dispatcher checks every output
 * for callers who may not receive such data: a second line behind the services' own filtering.
 */
export function containsClosedOnly(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsClosedOnly);
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  if (record.closedOnly === true) return true;
  return Object.values(record).some(containsClosedOnly);
}
