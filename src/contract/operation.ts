// How an operation is declared. Every side (dispatcher, CLI, IPC, renderer, tests) reads these declarations;
// nothing else decides who may call what, what is validated, or what is audited.
import type { z } from 'zod';
import { KINDS_NEEDING_JUSTIFICATION, type AuditKind } from './audit-kinds.js';
import { ROLES, type Role } from '../domain/roles.js';
import type { AgreementKind } from '../domain/agreements.js';

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
  /**
   * A read that a newer call from the same window replaces (the case list as its search and filters
   * change). The handler runs outside any write transaction and may only read, so the dispatcher can drop
   * it while it waits or interrupt it while it reads once the window has asked for something newer
   * (src/dispatch/supersede.ts). Only a consultation can be supersedable.
   */
  supersedable?: boolean;
  /**
   * The signed agreements the caller's organisation must have in force (when the store enforces them).
   * Defaults by area: every case and meeting operation needs the membership agreement (GATED_AREAS).
   * Case detail declares the information-sharing agreement too. [] exempts an operation of a gated area.
   */
  requires?: readonly AgreementKind[];
}

/** Areas (the part of an operation's name before the first dot) whose operations need a membership agreement. */
export const GATED_AREAS: ReadonlySet<string> = new Set([
  'cases',
  'people',
  'concerns',
  'meetings',
  'minutes',
  'actions',
  'enforcement',
  'escalations',
  'triggers',
]);

/** The agreements an operation needs: its own declaration, or its area's default. Read by the dispatcher and the policy table. */
export function requiredAgreements(name: string, definition: OperationDefinition): readonly AgreementKind[] {
  if (definition.requires !== undefined) return definition.requires;
  if (definition.access === 'public') return [];
  return GATED_AREAS.has(name.split('.')[0]!) ? ['membership'] : [];
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
