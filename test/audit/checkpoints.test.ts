// The checks unlock makes against the audit log must not read the whole log: at a million entries a
// scan of audit_log took seven seconds of every unlock (bench/unlock). Each statement checkCheckpoints
// issues is recorded and its query plan must reach audit_log through an index or its primary key, or walk
// it in seq order only as far as a LIMIT.
import { describe, expect, it } from 'vitest';
import { checkCheckpoints } from '../../src/audit/checkpoints.js';
import type { Params, Sql } from '../../src/vault/database.js';
import { SqlQuery } from '../../src/store/sql.js';
import { MANAGER } from '../support/partnership.js';
import { initialisedStore } from '../support/store.js';

/** The real connection, recording the text and parameters of every statement run through it. */
function recording(db: Sql, statements: [string, Params][]): Sql {
  const note = (query: string | SqlQuery, params: Params = []) =>
    statements.push(query instanceof SqlQuery ? [query.text, query.params] : [query, params]);
  return {
    run: (query, params) => (note(query, params), db.run(query, params)),
    get: (query, params) => (note(query, params), db.get(query, params)),
    all: (query, params) => (note(query, params), db.all(query, params)),
    exec: (text) => db.exec(text),
    prepare: (text) => db.prepare(text),
    connection: db,
  };
}

describe('the checkpoint checks at unlock', () => {
  it('reach the audit log by index or primary key only, never by scanning it', async () => {
    const { host } = await initialisedStore();
    const vault = host.vault!;
    const statements: [string, Params][] = [];
    const findings = await checkCheckpoints(recording(vault.db, statements), {
      latest: vault.checkpoint(),
      signed: vault.checkpoints(),
      // Every branch: the missing-checkpoint rule, for a roster user with no checkpoint of their own.
      signedSince: 0,
      rosterUsers: [MANAGER.username, 'someone.else'],
    });
    expect(findings).toEqual([]);
    const onLog = statements.filter(([text]) => /\baudit_log\b/.test(text));
    // The head, the checkpoint's entry, the last acknowledgement, the other user's last unlock.
    expect(onLog.length).toBeGreaterThanOrEqual(3);
    for (const [text, params] of onLog) {
      const plan = await vault.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params);
      const steps = plan.map((p) => p.detail).filter((d) => /\baudit_log\b/.test(d));
      expect(steps.length, text).toBeGreaterThan(0);
      // A scan in seq (rowid) order that stops at its limit reads one entry: the head.
      const stopsAtLimit = /ORDER BY seq (DESC )?LIMIT \d+$/.test(text.trim());
      for (const step of steps)
        expect(step, text).toMatch(stopsAtLimit ? /^SCAN audit_log$|USING/ : /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
    }
  });
});
