import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classificationOf, classified, fieldClassifications, CLASSIFICATIONS } from '../../src/contract/fields.js';
import { operations } from '../../src/contract/operations.js';
import { caseOperations } from '../../src/contract/ops/cases.js';
import { meetingOperations } from '../../src/contract/ops/meetings.js';
import { peopleOperations } from '../../src/contract/ops/people.js';

describe('field classification', () => {
  it('classifies a clone, so a shared schema can be classified differently in each place', () => {
    const shared = z.string();
    const a = classified(shared, 'direct_identifier');
    const b = classified(shared, 'safe');
    expect(classificationOf(a)).toBe('direct_identifier');
    expect(classificationOf(b)).toBe('safe');
    expect(classificationOf(shared)).toBeUndefined();
    expect(classificationOf(a.optional().nullable())).toBe('direct_identifier');
  });

  it('reports an unclassified leaf', () => {
    const schema = z.object({ name: classified(z.string(), 'direct_identifier'), note: z.string() });
    expect(Object.fromEntries(fieldClassifications(schema))).toEqual({ name: 'direct_identifier', note: undefined });
  });

  const mine = { ...peopleOperations, ...caseOperations, ...meetingOperations };
  for (const [name, op] of Object.entries(mine)) {
    for (const side of ['input', 'output'] as const) {
      it(`${name} ${side}: every field about a case or person is classified`, () => {
        const fields = fieldClassifications(op[side]);
        const unclassified = [...fields].filter(([, c]) => c === undefined).map(([p]) => p);
        // concerns.list returns reference data (the maintained list), not data about anyone.
        if (name === 'concerns.list' && side === 'output') return;
        expect(unclassified).toEqual([]);
        for (const c of fields.values()) expect(CLASSIFICATIONS).toContain(c);
      });
    }
  }

  it('marks names, addresses and identifiers as direct identifiers and notes as free text', () => {
    const detail = fieldClassifications(operations['cases.get'].output);
    expect(detail.get('case.subjects[].givenName')).toBe('direct_identifier');
    expect(detail.get('case.subjects[].addresses[].line1')).toBe('direct_identifier');
    expect(detail.get('case.subjects[].identifiers[].value')).toBe('direct_identifier');
    expect(detail.get('case.subjects[].dateOfBirth')).toBe('quasi_identifier');
    expect(detail.get('case.concerns[]')).toBe('special_category');
    expect(detail.get('case.notes[].body')).toBe('free_text');
    expect(detail.get('case.status')).toBe('safe');
  });
});
