// The contract's `access` on each operation is the one source of truth for calling; this module reads it
// into a table for the UI, the docs and the access-matrix test.
import { operations, OPERATION_NAMES, type OperationName } from './operations.js';
import { ROLES, roleMayCall, needsJustification, requiredAgreements, type Role } from './operation.js';
import type { AgreementKind } from '../domain/agreements.js';
import type { AuditKind } from './audit-kinds.js';

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
    roles: ROLES.filter((role) => roleMayCall(definition, role)),
    auditKind: definition.audit?.kind ?? null,
    justification: needsJustification(definition),
    agreements: requiredAgreements(operation, definition),
  };
});

export function policyFor(operation: OperationName): PolicyRow {
  return POLICY.find((row) => row.operation === operation)!;
}
