import { describe, expect, it } from 'vitest';
import { containsClosedOnly, mayMarkClosedOnly, mayReceiveClosedOnly, POLICY } from '../../src/domain/access.js';
import { operations } from '../../src/contract/operations.js';

describe('access policy', () => {
  it('reads who may call each operation from the contract, so there is one source of truth', () => {
    for (const row of POLICY) {
      const access = operations[row.operation].access;
      expect(row.public).toBe(access === 'public');
      if (access !== 'public') expect(row.roles).toEqual(access);
    }
  });

  it('keeps closed-only data from non-statutory members, who also cannot create it', () => {
    expect([mayReceiveClosedOnly('manager'), mayReceiveClosedOnly('statutory'), mayReceiveClosedOnly('non_statutory')]).toEqual([true, true, false]);
    expect(mayMarkClosedOnly('non_statutory')).toBe(false);
  });

  it('finds a closed-only flag at any depth, and only a true one', () => {
    expect(containsClosedOnly({ case: { notes: [{ closedOnly: false }, { closedOnly: true }] } })).toBe(true);
    expect(containsClosedOnly([[{ links: [{ closedOnly: true }] }]])).toBe(true);
    expect(containsClosedOnly({ case: { closedOnly: false, notes: [{ closedOnly: false }] } })).toBe(false);
    expect(containsClosedOnly({ closedOnly: 'true' })).toBe(false);
    expect(containsClosedOnly(null)).toBe(false);
  });
});
