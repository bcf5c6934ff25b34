// Fills a store's audit log fast: the same encoding and hashes as appendAuditEntry (canonicalEncoding,
// entryHash), chained to the current head, but written 100 rows per INSERT in large transactions
// instead of one head lookup and one insert per entry. The result verifies like a log the dispatcher wrote.
import { auditHead, type AuditHead } from '../../src/audit/log.js';
import { canonicalEncoding, canonicalJson, entryHash, genesisHash, CHAINED_FIELDS, type ChainedEntry } from '../../src/audit/chain.js';
import type { Database, Sql, SqlValue } from '../../src/vault/database.js';
import { ROLES } from '../../src/contract/operation.js';
import { JUSTIFICATION, PERSONAS } from '../../test/support/partnership.js';

const ROWS_PER_INSERT = 100;
const COLUMNS = [...CHAINED_FIELDS, 'hash'] as const;

const USERS = ROLES.map((role, i) => ({
  user_id: i + 1,
  username: PERSONAS[role].username,
  organisation: PERSONAS[role].organisation,
  role,
}));
const SHAPES = [
  { kind: 'consultation', operation: 'cases.get', entity_type: 'case', fields: ['summary', 'risk'] },
  { kind: 'alteration', operation: 'cases.update', entity_type: 'case', fields: ['status'] },
  { kind: 'collection', operation: 'actions.add', entity_type: 'action', fields: ['owner', 'due'] },
  { kind: 'disclosure', operation: 'minutes.export', entity_type: 'meeting', fields: ['closed'] },
  { kind: 'consultation', operation: 'meetings.get', entity_type: 'meeting', fields: [] },
];

/** A plausible entry: ids and field names, never case content, as the services write them. */
function entryFor(seq: number, prevHash: string, startMs: number): ChainedEntry {
  const user = USERS[seq % USERS.length]!;
  const shape = SHAPES[seq % SHAPES.length]!;
  const refused = seq % 97 === 0;
  return {
    seq,
    at: new Date(startMs + seq * 1000).toISOString(),
    ...user,
    kind: shape.kind,
    operation: shape.operation,
    entity_type: shape.entity_type,
    entity_id: String((seq * 7919) % 5000),
    justification: shape.kind === 'consultation' || shape.kind === 'disclosure' ? JUSTIFICATION : null,
    recipients: shape.kind === 'disclosure' ? JSON.stringify([PERSONAS.statutory.organisation, PERSONAS.non_statutory.organisation]) : '[]',
    outcome: refused ? 'refused' : 'ok',
    error_code: refused ? 'FORBIDDEN' : null,
    details: canonicalJson({ fields: shape.fields, meetingId: seq % 40 }),
    prev_hash: prevHash,
  };
}

export interface FillOptions {
  /** Entries per transaction. */
  batch?: number;
  onProgress?: (written: number) => void;
}

/** Appends `count` entries after the current head and returns the new head. */
export async function fillAuditLog(db: Database, storeId: string, count: number, options: FillOptions = {}): Promise<AuditHead> {
  const batch = options.batch ?? 50_000;
  const startHead = await db.exclusive(() => auditHead(db));
  const chain = { seq: startHead?.seq ?? 0, hash: startHead?.hash ?? genesisHash(storeId) };
  // A big page cache for the fill only: the five indexes of audit_log take random inserts, and with the
  // default 2 MB cache each insert rereads (and decrypts) index pages. Restored before returning.
  const cache = await db.exclusive(() => db.get<{ cache_size: number }>('PRAGMA cache_size'));
  await db.exclusive(() => db.exec('PRAGMA cache_size = -262144'));
  try {
    for (let written = 0; written < count;) {
      const rows = Math.min(batch, count - written);
      await db.transaction((sql) => insertBatch(sql, chain, rows));
      written += rows;
      options.onProgress?.(written);
    }
  } finally {
    await db.exclusive(() => db.exec(`PRAGMA cache_size = ${cache?.cache_size ?? -2000}`));
  }
  return chain;
}

const START_MS = Date.parse('2026-01-05T09:00:00Z');
const PLACEHOLDERS = `(${COLUMNS.map(() => '?').join(', ')})`;
const insertSql = (rows: number) => `INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES ${Array(rows).fill(PLACEHOLDERS).join(', ')}`;

/** Writes `count` entries chained after `chain`, advancing it. */
async function insertBatch(sql: Sql, chain: AuditHead, count: number): Promise<void> {
  const full = await sql.prepare(insertSql(ROWS_PER_INSERT));
  try {
    for (let done = 0; done < count;) {
      const rows = Math.min(ROWS_PER_INSERT, count - done);
      const params: SqlValue[] = [];
      for (let i = 0; i < rows; i++) {
        const entry = entryFor(++chain.seq, chain.hash, START_MS);
        chain.hash = entryHash(canonicalEncoding(entry));
        for (const field of CHAINED_FIELDS) params.push(entry[field]);
        params.push(chain.hash);
      }
      if (rows === ROWS_PER_INSERT) await full.run(params);
      else await sql.run(insertSql(rows), params);
      done += rows;
    }
  } finally {
    await full.finalize();
  }
}
