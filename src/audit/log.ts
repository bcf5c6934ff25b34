// Writing, reading and verifying the audit log. Appends always run inside the caller's transaction,
// so an entry exists exactly when the change it records was committed.
import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import type { AuditKind } from '../contract/audit-kinds.js';
import type { Sql } from '../vault/database.js';
import {
  CANONICAL_SQL,
  canonicalEncoding,
  canonicalJson,
  entryHash,
  genesisHash,
  stripControlCharacters,
  type ChainedEntry,
} from './chain.js';

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

/** The hash of the entry at a sequence number, or null past the head: to test a head printed on an export. */
export async function auditHashAt(sql: Sql, seq: number): Promise<string | null> {
  const row = await sql.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', [seq]);
  return row?.hash ?? null;
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
    [
      row.seq,
      row.at,
      row.user_id,
      row.username,
      row.organisation,
      row.role,
      row.kind,
      row.operation,
      row.entity_type,
      row.entity_id,
      row.justification,
      row.recipients,
      row.outcome,
      row.error_code,
      row.details,
      row.prev_hash,
      hash,
    ],
  );
  return { seq: row.seq as number, hash };
}

export type VerifyResult =
  { intact: true; entries: number; head: AuditHead | null } | { intact: false; entries: number; brokenAt: number; reason: string };

export interface VerifyOptions {
  /** The head recorded outside the database at the last lock, unlock or export. */
  checkpoint?: AuditHead | null;
  /** Whether that checkpoint's MAC is genuine. */
  checkpointAuthentic?: boolean;
  pageSize?: number;
  onProgress?: (verified: number) => void;
}

/** Where verification has got to: everything before `expectedSeq` chains from the genesis hash to `previousHash`. */
interface ChainProgress {
  expectedSeq: number;
  previousHash: string;
  checkpointHashSeen: string | null;
}

type Broken = Extract<VerifyResult, { intact: false }>;

/**
 * Recomputes the whole chain, then compares it with the checkpoint. Reports the first sequence number at
 * which the log stops being the one that was written.
 */
export async function verifyAuditLog(sql: Sql, storeId: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 25_000;
  const checkpoint = options.checkpoint ?? null;
  const progress: ChainProgress = { expectedSeq: 1, previousHash: genesisHash(storeId), checkpointHashSeen: null };
  // The chain is walked from entry 1 upwards, so a row slipped in below it would otherwise go unseen.
  const first = await sql.get<{ lo: number | null }>('SELECT min(seq) AS lo FROM audit_log');
  if (first?.lo != null && first.lo < 1) {
    return {
      intact: false,
      entries: 0,
      brokenAt: first.lo,
      reason: `entry ${first.lo} comes before the first entry of the log: rows were inserted`,
    };
  }
  // The fast pass stops at the first page it cannot vouch for; the exact pass takes over from there and
  // names the first broken entry and why, so both together report exactly what the exact pass alone would.
  await verifyPagesFast(sql, progress, checkpoint?.seq ?? null, pageSize, options.onProgress);
  const broken = await verifyRowsExactly(sql, progress, checkpoint?.seq ?? null, pageSize, options.onProgress);
  if (broken) return broken;
  const entries = progress.expectedSeq - 1;
  if (checkpoint) {
    if (options.checkpointAuthentic === false) {
      return { intact: false, entries, brokenAt: checkpoint.seq, reason: 'the checkpoint in the key file was forged or altered' };
    }
    if (entries < checkpoint.seq) {
      return {
        intact: false,
        entries,
        brokenAt: entries + 1,
        reason: `the log ends at entry ${entries} but the checkpoint recorded entry ${checkpoint.seq}: entries were removed or an older copy of the database was restored`,
      };
    }
    if (progress.checkpointHashSeen !== checkpoint.hash) {
      return {
        intact: false,
        entries,
        brokenAt: checkpoint.seq,
        reason: `entry ${checkpoint.seq} differs from the one recorded at the checkpoint: the log was rewritten or an older copy restored`,
      };
    }
  }
  return { intact: true, entries, head: entries === 0 ? null : { seq: entries, hash: progress.previousHash } };
}

/** One row at a time, each a JS object: slow, but it says exactly where and how the chain breaks. */
async function verifyRowsExactly(
  sql: Sql,
  progress: ChainProgress,
  checkpointSeq: number | null,
  pageSize: number,
  onProgress?: (verified: number) => void,
): Promise<Broken | null> {
  for (;;) {
    const rows = await sql.all<{ seq: number; prev_hash: string; hash: string; canonical: string }>(
      `SELECT seq, prev_hash, hash, ${CANONICAL_SQL} AS canonical FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?`,
      [progress.expectedSeq, pageSize],
    );
    for (const row of rows) {
      const seq = progress.expectedSeq;
      const entries = seq - 1;
      if (row.seq !== seq) {
        return { intact: false, entries, brokenAt: seq, reason: `entry ${seq} is missing (the next entry is ${row.seq})` };
      }
      if (row.prev_hash !== progress.previousHash) {
        return { intact: false, entries, brokenAt: row.seq, reason: `entry ${row.seq} does not chain to the entry before it` };
      }
      if (entryHash(row.canonical) !== row.hash) {
        return { intact: false, entries, brokenAt: row.seq, reason: `entry ${row.seq} was altered after it was written` };
      }
      if (row.seq === checkpointSeq) progress.checkpointHashSeen = row.hash;
      progress.previousHash = row.hash;
      progress.expectedSeq += 1;
    }
    onProgress?.(progress.expectedSeq - 1);
    if (rows.length < pageSize) return null;
  }
}

const RECORD_SEPARATOR = 0x1e;
const HASH_BYTES = 64;

/**
 * A whole page of entries in one value: each entry's stored hash followed by its canonical encoding,
 * as UTF-8 bytes, entries separated by char(30). One BLOB per page instead of a JS object and strings per
 * entry is what makes a million entries verify in seconds. `odd` counts hashes that are not 64-byte text,
 * which would make the layout ambiguous.
 */
const PAGE_SQL = `SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi,
  sum(typeof(hash) <> 'text' OR octet_length(hash) <> ${HASH_BYTES} OR typeof(prev_hash) <> 'text' OR octet_length(prev_hash) <> ${HASH_BYTES}) AS odd,
  CAST(group_concat(hash || ${CANONICAL_SQL}, char(${RECORD_SEPARATOR})) AS BLOB) AS body
  FROM audit_log WHERE seq BETWEEN ? AND ?`;

interface Page {
  n: number;
  lo: number | null;
  hi: number | null;
  odd: number | null;
  body: Buffer | null;
}

/**
 * Verifies whole pages while the next one is being read and decrypted on the binding's thread. Advances
 * `progress` only past pages in which every entry is present, chained and unaltered; at the first page
 * with anything unexpected it stops and leaves that page to the exact pass.
 */
async function verifyPagesFast(
  sql: Sql,
  progress: ChainProgress,
  checkpointSeq: number | null,
  pageSize: number,
  onProgress?: (verified: number) => void,
): Promise<void> {
  // Prepared once: a one-off query goes back to this thread between its prepare and its step, which
  // would hold the read-ahead up until the hashing had finished.
  const statement = await sql.prepare(PAGE_SQL);
  const fetchPage = (from: number) => statement.get<Page>([from, from + pageSize - 1]);
  let pending = fetchPage(progress.expectedSeq);
  try {
    for (;;) {
      const page = await pending;
      const from = progress.expectedSeq;
      const consecutive = page !== undefined && page.n > 0 && page.lo === from && page.hi === from + page.n - 1;
      const full = consecutive && page.n === pageSize;
      // Read ahead only when this page can be the one before it: the read overlaps the hashing below.
      pending = full ? fetchPage(from + pageSize) : Promise.resolve(undefined);
      // The binding starts the read only once the callback that delivered this page has returned, so
      // yield once before hashing (which also keeps the event loop responsive through a long log).
      if (full) await new Promise<void>((resolve) => setImmediate(resolve));
      if (!consecutive || page.odd !== 0 || !page.body || !verifyPage(page.body, page.n, progress, checkpointSeq)) return;
      onProgress?.(progress.expectedSeq - 1);
      if (!full) return;
    }
  } finally {
    await pending.catch(() => undefined);
    await statement.finalize();
  }
}

/**
 * Checks one page body entry by entry; commits to `progress` only if all of it holds. Compares bytes in
 * place rather than making strings, since this loop runs once per entry.
 */
function verifyPage(body: Buffer, count: number, progress: ChainProgress, checkpointSeq: number | null): boolean {
  // Invalid UTF-8 would not survive the string round trip the exact pass (and appendAuditEntry) makes.
  if (!isUtf8(body)) return false;
  let seq = progress.expectedSeq;
  let previous: Buffer = Buffer.from(progress.previousHash, 'latin1');
  let previousAt = 0;
  let checkpointAt = -1;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const separator = body.indexOf(RECORD_SEPARATOR, start);
    const last = i === count - 1;
    // A separator inside a value shifts every boundary after it: let the exact pass handle that page.
    if (last ? separator >= 0 : separator < 0) return false;
    const end = last ? body.length : separator;
    const canonicalStart = start + HASH_BYTES;
    if (end - canonicalStart < HASH_BYTES || !startsWithSeq(body, canonicalStart, end, seq)) return false;
    // prev_hash is 64 bytes of text (checked in SQL) and the last field of the encoding.
    if (body.compare(previous, previousAt, previousAt + HASH_BYTES, end - HASH_BYTES, end) !== 0) return false;
    const digest = hash('sha256', body.subarray(canonicalStart, end), 'hex');
    for (let k = 0; k < HASH_BYTES; k++) if (body[start + k] !== digest.charCodeAt(k)) return false;
    if (seq === checkpointSeq) checkpointAt = start;
    previous = body;
    previousAt = start;
    seq += 1;
    start = end + 1;
  }
  progress.expectedSeq = seq;
  progress.previousHash = previous.toString('latin1', previousAt, previousAt + HASH_BYTES);
  if (checkpointAt >= 0) progress.checkpointHashSeen = body.toString('latin1', checkpointAt, checkpointAt + HASH_BYTES);
  return true;
}

/** Whether the encoding at `at` starts with the decimal digits of `seq` and a unit separator. */
function startsWithSeq(body: Buffer, at: number, end: number, seq: number): boolean {
  let digits = 1;
  for (let power = 10; power <= seq; power *= 10) digits += 1;
  if (at + digits >= end || body[at + digits] !== 0x1f) return false;
  let rest = seq;
  for (let k = digits - 1; k >= 0; k--) {
    if (body[at + k] !== 0x30 + (rest % 10)) return false;
    rest = Math.floor(rest / 10);
  }
  return true;
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
  if (row.hash !== checkpoint.hash)
    return `audit entry ${checkpoint.seq} differs from the one recorded at the last checkpoint: the log was rewritten or an older copy restored`;
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

function toUtc(instant: string | undefined): string | undefined {
  return instant === undefined ? undefined : new Date(instant).toISOString();
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
  // Entries are stamped in UTC (toISOString); a bound given with another offset is compared as the same instant.
  add('at >= ?', toUtc(filter.from));
  add('at < ?', toUtc(filter.to));
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Newest first, paged by sequence number so paging stays fast however long the log grows. */
export async function queryAuditLog(
  sql: Sql,
  filter: AuditFilter,
  page: { beforeSeq?: number | undefined; limit: number },
): Promise<{ rows: AuditRow[]; total: number }> {
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
    const rows = await sql.all<AuditRow>(`SELECT * FROM audit_log ${where ? `${where} AND` : 'WHERE'} seq > ? ORDER BY seq LIMIT ?`, [
      ...params,
      afterSeq,
      pageSize,
    ]);
    yield* rows;
    if (rows.length < pageSize) return;
    afterSeq = rows.at(-1)!.seq;
  }
}

/**
 * The entries that recorded producing a file with this SHA-256 (exports and disclosures note the hash of
 * what they wrote; a subject access pack notes its JSON file's as well). A scan, not an index: it runs once per document someone brings to be checked.
 */
export async function findEntriesByFileHash(sql: Sql, sha256: string): Promise<AuditRow[]> {
  return sql.all<AuditRow>(
    `SELECT * FROM audit_log WHERE kind IN ('export', 'disclosure') AND outcome = 'ok'
       AND (json_extract(details, '$.sha256') = ? OR json_extract(details, '$.jsonSha256') = ?) ORDER BY seq`,
    [sha256, sha256],
  );
}
