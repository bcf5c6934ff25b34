// Ids for rows some users may not see (issue 16, finding 3). SQLite numbers rows 1, 2, 3…, so a user who
// is shown the ids of their own records could count what was written between them, closed-only cases and
// the people on them included: two people added a minute apart as ids 7 and 12 say four others were added
// meanwhile. These tables take their ids from here instead: the milliseconds since 2020 times 4,096, plus
// a random number below 4,096. The gap between two ids a user sees then measures the time between them
// (which the records' own dates show anyway), not how many rows were written in between. Unlike wholly
// random ids they still grow, so every list ordered by id keeps the order rows were written in, and rows
// are appended at the end of the table's b-tree as before. A SQLite INTEGER PRIMARY KEY takes an explicit
// value; 2^53 / 4,096 ms reaches 2089, and every id stays a safe JavaScript integer.
//
// When the clock is behind the newest id (it was set back, or many rows are written in one millisecond by a
// loader) the id is the newest plus a random step below 4,096: still unique and growing. In that case only,
// a long run of ids would say roughly how many rows came between (the steps' mean is known); a person using
// the app writes far less than a row per millisecond, so it takes a clock set back to get there.
import { randomInt } from 'node:crypto';
import type { Sql } from '../vault/database.js';
import { sql, sqlIdentifier } from './sql.js';

const ID_EPOCH_MS = Date.UTC(2020, 0, 1);
const RANDOM_PART = 4096;

/**
 * The tables whose ids a user may be shown while other rows of the same table are hidden from them (a
 * closed-only case, a note or minute paragraph marked closed-only, what hangs on a closed meeting, a person
 * known only from closed-only cases; an erasure, whose number is quoted in minutes every member reads). Tables only a manager reads, or whose rows everyone sees, keep
 * SQLite's numbering.
 */
export type UnguessableIdTable =
  | 'people'
  | 'cases'
  | 'case_notes'
  | 'case_locations'
  | 'case_transitions'
  | 'enforcement'
  | 'enforcement_breaches'
  | 'escalations'
  | 'community_triggers'
  | 'community_trigger_incidents'
  | 'community_trigger_recommendations'
  | 'meetings'
  | 'meeting_attendees'
  | 'agenda_items'
  | 'minute_paragraphs'
  | 'minute_decisions'
  | 'minute_addenda'
  | 'actions'
  | 'erasures';

/** The id for the next row of `table`. Call it inside the transaction that inserts the row. */
export async function unguessableId(db: Sql, table: UnguessableIdTable, nowMs = Date.now()): Promise<number> {
  const newest = (await db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM main.${sqlIdentifier(table)}`))?.id ?? 0;
  return nextId(newest, nowMs, randomInt);
}

/** The rule on its own, with the randomness given, for tests. */
export function nextId(newest: number, nowMs: number, randomBelow: (n: number) => number): number {
  const fromClock = Math.max(0, nowMs - ID_EPOCH_MS) * RANDOM_PART + randomBelow(RANDOM_PART);
  const id = fromClock > newest ? fromClock : newest + 1 + randomBelow(RANDOM_PART);
  if (!Number.isSafeInteger(id)) throw new RangeError(`no safe id after ${newest}`);
  return id;
}

/** n ids for rows of `table` inserted together (a list written in one statement), growing in that order. */
export async function unguessableIds(db: Sql, table: UnguessableIdTable, n: number, nowMs = Date.now()): Promise<number[]> {
  let newest = (await db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM main.${sqlIdentifier(table)}`))?.id ?? 0;
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((newest = nextId(newest, nowMs, randomInt)));
  return ids;
}
