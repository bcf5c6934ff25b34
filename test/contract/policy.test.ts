import { describe, expect, it } from 'vitest';
import { POLICY } from '../../src/contract/policy.js';
import { operations } from '../../src/contract/operations.js';

describe('access policy table', () => {
  it('reads who may call each operation from the contract, so there is one source of truth', () => {
    for (const row of POLICY) {
      const access = operations[row.operation].access;
      expect(row.public).toBe(access === 'public');
      if (access !== 'public') expect(row.roles).toEqual(access);
    }
  });
});
