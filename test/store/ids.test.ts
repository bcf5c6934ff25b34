// Unguessable ids and random references (issue 16, finding 3): the rule for an id, a reference that is
// already taken, and a store that already holds numbered references.
import { describe, expect, it } from 'vitest';
import { REFERENCE_ALPHABET } from '../../src/domain/reference.js';
import { freshReference } from '../../src/store/cases.js';
import { nextId } from '../../src/store/ids.js';
import { sql as q } from '../../src/store/sql.js';
import { call, caseInput, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
const fixed = (value: number) => () => value;

describe('an unguessable id', () => {
  it('comes from the clock and a random part, so its gap from another measures time, not rows', () => {
    const a = nextId(0, NOW, fixed(7));
    expect(nextId(a, NOW + 1, fixed(7)) - a).toBe(4096);
    // However many rows were written meanwhile, an id a second later is the same distance away.
    expect(nextId(a + 50, NOW + 1000, fixed(7))).toBe(nextId(a, NOW + 1000, fixed(7)));
    expect(Number.isSafeInteger(nextId(0, Date.UTC(2089, 0, 1), fixed(4095)))).toBe(true);
  });

  it('still grows when the clock is behind the newest id, by a random step', () => {
    const newest = nextId(0, NOW, fixed(100));
    expect(nextId(newest, NOW - 60_000, fixed(9))).toBe(newest + 10);
    expect(nextId(newest, NOW, fixed(0))).toBe(newest + 1);
  });
});

describe('a new case reference', () => {
  it('is drawn again when the draw is taken', async () => {
    const { host } = await partnershipStore(newHost());
    const { case: taken } = await call(host, 'cases.create', caseInput([await createPerson(host)]));
    const year = Number(taken.reference.slice(5, 9));
    const draws = [...taken.reference.slice(10)].map((c) => REFERENCE_ALPHABET.indexOf(c));
    draws.push(...[...'7KQ3X'].map((c) => REFERENCE_ALPHABET.indexOf(c)));
    const fresh = await host.vault!.db.transaction((sql) => freshReference(sql, year, () => draws.shift()!));
    expect(fresh).toBe(`LCSP-${year}-7KQ3X`);
    expect(draws).toEqual([]);
  });

  it('sorts after the numbered references a store already holds, which still work', async () => {
    const { host } = await partnershipStore(newHost());
    const person = await createPerson(host);
    const old = await createCase(host, [person]);
    // As a store from before: its case was numbered.
    await host.vault!.db.transaction((sql) =>
      sql.run(q`UPDATE main.cases SET reference = ${`LCSP-${new Date().getFullYear()}-0042`}, ref_seq = 42 WHERE id = ${old}`),
    );
    const newer = await createCase(host, [person]);
    const newest = await createCase(host, [person]);
    const listed = await call(host, 'cases.list', { sort: 'reference', direction: 'asc' });
    expect(listed.cases.map((c) => c.id)).toEqual([old, newer, newest]);
    const found = await call(host, 'cases.search', { query: `LCSP-${new Date().getFullYear()}-0042` });
    expect(found.cases.map((c) => c.id)).toEqual([old]);
  });
});
