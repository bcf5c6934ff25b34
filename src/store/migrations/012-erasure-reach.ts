// Erasure reaches attendance registers (issue 19: 3). An attendee's name or role in an approved meeting can
// be an erased person (a resident who came to speak, a household member named as a supporter), and the
// register is frozen with the rest of the minutes; while an erasure runs (see 010-erasure.ts) the guard on
// changing an attendee stands aside, as the guards of the other minutes records already do.
import type { Migration } from '../../vault/migrate.js';
import { withErasurePass } from './010-erasure.js';

/** The further guards an erasure passes (from 004-meetings). */
export const MORE_GUARDS_ERASURE_PASSES = ['meeting_attendees_frozen_update'] as const;

export const migration: Migration = {
  version: 12,
  name: 'erasure-reach',
  up: async (sql) => {
    const triggers = await sql.all<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${MORE_GUARDS_ERASURE_PASSES.map(() => '?').join(', ')})`,
      [...MORE_GUARDS_ERASURE_PASSES],
    );
    if (triggers.length !== MORE_GUARDS_ERASURE_PASSES.length) throw new Error('a guard the erasure passes is missing');
    for (const trigger of triggers) {
      await sql.exec(`DROP TRIGGER ${trigger.name}`);
      await sql.exec(withErasurePass(trigger.sql));
    }
  },
};
