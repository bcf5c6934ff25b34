// How many rows an FTS5 index holds, read from the count FTS5 keeps itself: the first varint of the
// index's "averages" record (row 1 of its `_data` table), which FTS5 updates with every insert and delete
// and which bm25 takes as N. One primary-key read, where count(*) would read the whole index.
//
// cases_fts holds one row per case (migration 003's triggers, closed-only cases included: their reference
// stays in the open index), so it is also the number of cases, which ids no longer give (they are
// unguessable: src/store/ids.ts).
import type { Sql } from '../vault/database.js';
import { sql, type SqlQuery } from './sql.js';

export type FtsIndex = 'cases_fts' | 'people_fts' | 'notes_fts';

const DATA_TABLE: Record<FtsIndex, SqlQuery> = {
  cases_fts: sql`main.cases_fts_data`,
  people_fts: sql`main.people_fts_data`,
  notes_fts: sql`main.notes_fts_data`,
};

/** SQLite's varint (as FTS5 writes it): big-endian groups of 7 bits while the high bit is set; a ninth byte gives 8. */
export function readVarint(bytes: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < Math.min(bytes.length, 9); i++) {
    const byte = bytes[i]!;
    if (i === 8) return value * 256 + byte;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
  return value;
}

/** The number of rows in `index`, as FTS5 counts them (0 for an index never written to). */
export async function ftsRowCount(db: Sql, index: FtsIndex): Promise<number> {
  const row = await db.get<{ block: Buffer | null }>(sql`SELECT block FROM ${DATA_TABLE[index]} WHERE id = 1`);
  return row?.block ? readVarint(row.block) : 0;
}
