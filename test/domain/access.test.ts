import { describe, expect, it } from 'vitest';
import { containsClosedOnly, mayMarkClosedOnly, mayReceiveClosedOnly } from '../../src/domain/access.js';

describe('closed-only access', () => {
  it('keeps closed-only data from non-statutory members, who also cannot create it', () => {
    expect([mayReceiveClosedOnly('manager'), mayReceiveClosedOnly('statutory'), mayReceiveClosedOnly('non_statutory')]).toEqual([
      true,
      true,
      false,
    ]);
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
