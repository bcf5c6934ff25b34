// How an operation is declared. Every side (dispatcher, CLI, IPC, renderer, tests) reads these declarations;
// nothing else decides who may call what, what is validated, or what is audited.
import type { z } from 'zod';
import { KINDS_NEEDING_JUSTIFICATION, type AuditKind } from './audit-kinds.js';
import { ROLES, type Role } from '../domain/roles.js';

export { ROLES, type Role };
export const ALL_ROLES: readonly Role[] = ROLES;

export interface OperationDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
  /** 'public': callable without a session (set-up, unlock, status); otherwise the roles that may call it. */
  access: 'public' | readonly Role[];
  /** What the audit log records for a call; null only for public operations that audit themselves or nothing. */
  audit: { kind: AuditKind; entity: string } | null;
  /**
   * Whether the call must carry a justification. Defaults to true for consultation and disclosure (s62);
   * set false only where nothing about a data subject is revealed (e.g. verifying the log's hashes).
   */
  justification?: boolean;
  /** 'none' for work SQLite cannot do inside a transaction (PRAGMA rekey); its audit entry commits after. */
  transaction?: 'write' | 'none';
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType, A extends 'public' | readonly Role[]>(
  definition: OperationDefinition<I, O> & { access: A },
): OperationDefinition<I, O> & { access: A } {
  return definition;
}

export function needsJustification(definition: OperationDefinition): boolean {
  if (definition.justification !== undefined) return definition.justification;
  return definition.audit !== null && KINDS_NEEDING_JUSTIFICATION.has(definition.audit.kind);
}

/** Whether the contract admits a role to an operation (the renderer's `userMayCall` asks this for the signed-in user). */
export function roleMayCall(definition: OperationDefinition, role: Role): boolean {
  return definition.access === 'public' || definition.access.includes(role);
}
