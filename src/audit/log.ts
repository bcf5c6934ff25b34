// Writing, reading and verifying the audit log. Appends always run inside the caller's transaction,
// so an entry exists exactly when the change it records was committed.
import type { AuditKind } from '../contract/audit-kinds.js';
import type { Sql } from '../vault/database.js';
import { CANONICAL_SQL, canonicalEncoding, canonicalJson, entryHash, genesisHash, stripControlCharacters, type ChainedEntry } from './chain.js';

export interface Actor {
  userId: number | null;
  username: string | null;
  organisation: string | null;
  role: string | null;
}

export interface NewAuditEntry {
  actor: Actor;
  kind: AuditKind;
  operation: string;
  entityType?: string | null;
  entityId?: string | number | null;
  justification?: string | null;
  recipients?: readonly string[];
  outcome: 'ok' | 'refused';
  errorCode?: string | null;
  /** Ids and field names only: never case content. */
  details?: Record<string, unknown>;
  /** Defaults to now. */
  at?: Date;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  organisation: string | null;
  role: string | null;
  kind: AuditKind;
  operation: string;
  entity_type: string | null;
  entity_id: string | null;
  justification: string | null;
  recipients: string;
  outcome: 'ok' | 'refused';
  error_code: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const text = (value: string | number | null | undefined, max = 1000): string | null =>
  value === null || value === undefined ? null : stripControlCharacters(String(value)).slice(0, max);

export async function auditHead(sql: Sql): Promise<AuditHead | null> {
  const row = await sql.get<AuditHead>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  return row ?? null;
}

/** Appends one entry chained to the current head. Call inside the transaction of the change it records. */
export async function appendAuditEntry(sql: Sql, storeId: string, entry: NewAuditEntry): Promise<AuditHead> {
  const head = await auditHead(sql);
  const row: ChainedEntry = {
    seq: (head?.seq ?? 0) + 1,
    at: (entry.at ?? new Date()).toISOString(),
    user_id: entry.actor.userId,
    username: text(entry.actor.username, 200),
    organisation: text(entry.actor.organisation, 200),
    role: text(entry.actor.role, 50),
    kind: entry.kind,
    operation: text(entry.operation, 200)!,
    entity_type: text(entry.entityType, 100),
    entity_id: text(entry.entityId, 200),
    justification: text(entry.justification, 1000),
    recipients: JSON.stringify((entry.recipients ?? []).map((r) => text(r, 200))),
    outcome: entry.outcome,
    error_code: text(entry.errorCode, 100),
    details: canonicalJson(entry.details ?? {}),
    prev_hash: head?.hash ?? genesisHash(storeId),
  };
  const hash = entryHash(canonicalEncoding(row));
  await sql.run(
    `INSERT INTO audit_log (seq, at, user_id, username, organisation, role, kind, operation, entity_type, entity_id,
       justification, recipients, outcome, error_code, details, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [row.seq, row.at, row.user_id, row.username, row.organisation, row.role, row.kind, row.operation, row.entity_type,
      row.entity_id, row.justification, row.recipients, row.outcome, row.error_code, row.details, row.prev_hash, hash],
  );
  return { seq: row.seq as number, hash };
}

export type VerifyResult =
  | { intact: true; entries: number; head: AuditHead | null }
  | { intact: false; entries: number; brokenAt: number; reason: string };

export interface VerifyOptions {
  /** The head recorded outside the database at the last lock, unlock or export. */
  checkpoint?: AuditHead | null;
  /** Whether that checkpoint's MAC is genuine. */
  checkpointAuthentic?: boolean;
  pageSize?: number;
  onProgress?: (verified: number) => void;
}

/**
 * Recomputes the whole chain, then compares it with the checkpoint. Reports the first sequence number at
 * which the log stops being the one that was written.
 */
export async function verifyAuditLog(sql: Sql, storeId: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 50_000;
  let expectedSeq = 1;
  let previousHash = genesisHash(storeId);
  let checkpointHashSeen: string | null = null;
  const checkpoint = options.checkpoint ?? null;
  for (;;) {
    const rows = await sql.all<{ seq: number; prev_hash: string; hash: string; canonical: string }>(
      `SELECT seq, prev_hash, hash, ${CANONICAL_SQL} AS canonical FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?`,
      [expectedSeq, pageSize],
    );
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { intact: false, entries: expectedSeq - 1, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing (the next entry is ${row.seq})` };
      }
      if (row.prev_hash !== previousHash) {
        return { intact: false, entries: expectedSeq - 1, brokenAt: row.seq, reason: `entry ${row.seq} does not chain to the entry before it` };
      }
      if (entryHash(row.canonical) !== row.hash) {
        return { intact: false, entries: expectedSeq - 1, brokenAt: row.seq, reason: `entry ${row.seq} was altered after it was written` };
      }
      if (checkpoint && row.seq === checkpoint.seq) checkpointHashSeen = row.hash;
      previousHash = row.hash;
      expectedSeq += 1;
    }
    options.onProgress?.(expectedSeq - 1);
    if (rows.length < pageSize) break;
  }
  const entries = expectedSeq - 1;
  if (checkpoint) {
    if (options.checkpointAuthentic === false) {
      return { intact: false, entries, brokenAt: checkpoint.seq, reason: 'the checkpoint in the key file was forged or altered' };
    }
    if (entries < checkpoint.seq) {
      return { intact: false, entries, brokenAt: entries + 1, reason: `the log ends at entry ${entries} but the checkpoint recorded entry ${checkpoint.seq}: entries were removed or an older copy of the database was restored` };
    }
    if (checkpointHashSeen !== checkpoint.hash) {
      return { intact: false, entries, brokenAt: checkpoint.seq, reason: `entry ${checkpoint.seq} differs from the one recorded at the checkpoint: the log was rewritten or an older copy restored` };
    }
  }
  return { intact: true, entries, head: entries === 0 ? null : { seq: entries, hash: previousHash } };
}

/**
 * The cheap check made at every unlock: does the database's log still contain the checkpointed head?
 * Returns a reason when it does not.
 */
export async function checkAgainstCheckpoint(sql: Sql, checkpoint: AuditHead | null, authentic: boolean): Promise<string | null> {
  if (!checkpoint) return null;
  if (!authentic) return 'the audit checkpoint in the key file was forged or altered';
  const row = await sql.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', [checkpoint.seq]);
  const head = await auditHead(sql);
  if (!row) {
    return `the audit log ends at entry ${head?.seq ?? 0} but entry ${checkpoint.seq} was recorded at the last checkpoint: entries were removed or an older copy of the database was restored`;
  }
  if (row.hash !== checkpoint.hash) return `audit entry ${checkpoint.seq} differs from the one recorded at the last checkpoint: the log was rewritten or an older copy restored`;
  return null;
}

export interface AuditFilter {
  userId?: number | undefined;
  username?: string | undefined;
  organisation?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  kind?: AuditKind | undefined;
  outcome?: 'ok' | 'refused' | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function whereClause(filter: AuditFilter): { where: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add('user_id = ?', filter.userId);
  add('username = ? COLLATE NOCASE', filter.username);
  add('organisation = ? COLLATE NOCASE', filter.organisation);
  add('entity_type = ?', filter.entityType);
  add('entity_id = ?', filter.entityId);
  add('kind = ?', filter.kind);
  add('outcome = ?', filter.outcome);
  add('at >= ?', filter.from);
  add('at < ?', filter.to);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Newest first, paged by sequence number so paging stays fast however long the log grows. */
export async function queryAuditLog(sql: Sql, filter: AuditFilter, page: { beforeSeq?: number | undefined; limit: number }): Promise<{ rows: AuditRow[]; total: number }> {
  const { where, params } = whereClause(filter);
  const pageWhere = page.beforeSeq === undefined ? where : `${where ? `${where} AND` : 'WHERE'} seq < ?`;
  const pageParams = page.beforeSeq === undefined ? params : [...params, page.beforeSeq];
  const rows = await sql.all<AuditRow>(`SELECT * FROM audit_log ${pageWhere} ORDER BY seq DESC LIMIT ?`, [...pageParams, page.limit]);
  const total = await sql.get<{ n: number }>(`SELECT count(*) AS n FROM audit_log ${where}`, params);
  return { rows, total: total?.n ?? 0 };
}

/** Every matching entry, oldest first, in pages: for CSV export without loading the whole log at once. */
export async function* iterateAuditLog(sql: Sql, filter: AuditFilter, pageSize = 10_000): AsyncGenerator<AuditRow> {
  const { where, params } = whereClause(filter);
  let afterSeq = 0;
  for (;;) {
    const rows = await sql.all<AuditRow>(`SELECT * FROM audit_log ${where ? `${where} AND` : 'WHERE'} seq > ? ORDER BY seq LIMIT ?`, [...params, afterSeq, pageSize]);
    yield* rows;
    if (rows.length < pageSize) return;
    afterSeq = rows.at(-1)!.seq;
  }
}
