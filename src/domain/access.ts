// Who may see what, across operations: closed-meeting-only data never reaches a non-statutory member.
// Who may call each operation is the contract's `access` (read into a table by src/contract/policy.ts).
import type { Role } from './roles.js';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  manager: 'Partnership manager',
  statutory: 'Statutory partner',
  non_statutory: 'Non-statutory member',
};

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
