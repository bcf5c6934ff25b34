// What a handler receives. Handlers never see the dispatcher; they get one unit of work.
import type { Host, UnlockedSession } from '../host/host.js';
import type { Sql } from '../vault/database.js';
import type { Vault } from '../vault/vault.js';
import type { OperationName, ParsedInputOf, OutputOf } from '../contract/operations.js';
import type { AuditKind } from '../contract/audit-kinds.js';

export interface AuditNote {
  /** The entry's kind when this call turned out to be another than the operation's (a check that showed records: consultation). */
  kind?: AuditKind;
  entityType?: string;
  entityId?: string | number | null;
  recipients?: readonly string[];
  /** The entry's justification when the operation takes its own (a subject access disclosure names the request it answers). */
  justification?: string;
  /** Ids and field names, never content. */
  details?: Record<string, unknown>;
}

export interface Call {
  host: Host;
  vault: Vault;
  session: UnlockedSession;
  /** The statements of this call's transaction. */
  sql: Sql;
  justification: string | null;
  /** Adds to the audit entry the dispatcher writes for this call. */
  note(note: AuditNote): void;
  /** Runs after the transaction commits (e.g. writing the key file, closing the store). */
  afterCommit(fn: () => void | Promise<void>): void;
  /** Runs if the transaction rolls back (e.g. removing a key slot written before the commit failed). */
  onRollback(fn: () => void | Promise<void>): void;
}

export type Handler<N extends OperationName> = (call: Call, input: ParsedInputOf<N>) => Promise<OutputOf<N>>;
export type PublicHandler<N extends OperationName> = (host: Host, input: ParsedInputOf<N>) => Promise<OutputOf<N>>;
