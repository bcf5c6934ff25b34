import { describe, expect, it } from 'vitest';
import { SQL_TRUE, sql, sqlAnd, sqlAssignments, sqlIdentifier, sqlInsertColumns, sqlJoin, sqlRows } from '../../src/store/sql.js';
import { caseVisible, personVisible } from '../../src/store/visibility.js';

describe('the sql tag', () => {
  it('binds every value as a parameter and splices fragments with their parameters in order', () => {
    const visible = sql`c.closed_only = ${0}`;
    const q = sql`SELECT id FROM cases c WHERE c.id = ${7} AND ${visible} AND c.area = ${"O'Brien Street; DROP TABLE cases"}`;
    expect(q.text).toBe('SELECT id FROM cases c WHERE c.id = ? AND c.closed_only = ? AND c.area = ?');
    expect(q.params).toEqual([7, 0, "O'Brien Street; DROP TABLE cases"]);
  });

  it('binds booleans as 1 and 0', () => {
    expect(sql`${true}, ${false}`.params).toEqual([1, 0]);
  });

  it('joins values into an IN list and conditions with AND', () => {
    expect(sqlJoin([1, 2, 3])).toMatchObject({ text: '?, ?, ?', params: [1, 2, 3] });
    expect(sqlAnd([sql`a = ${1}`, sql`b = ${2}`])).toMatchObject({ text: '(a = ?) AND (b = ?)', params: [1, 2] });
    expect(sqlAnd([])).toBe(SQL_TRUE);
  });

  it('writes the rows of a multi-row INSERT with their values in row order', () => {
    const q = sql`INSERT INTO case_subjects (case_id, person_id, position) VALUES ${sqlRows([
      [9, 4, 0],
      [9, 5, 1],
    ])}`;
    expect(q.text).toBe('INSERT INTO case_subjects (case_id, person_id, position) VALUES (?, ?, ?), (?, ?, ?)');
    expect(q.params).toEqual([9, 4, 0, 9, 5, 1]);
  });

  it('names columns only through plain identifiers', () => {
    expect(sqlAssignments({ area: 'North', closed_only: true })).toMatchObject({ text: 'area = ?, closed_only = ?', params: ['North', 1] });
    expect(sqlAssignments({ area: undefined, summary: null })).toMatchObject({ text: 'summary = ?', params: [null] });
    expect(sqlInsertColumns({ name: 'A', statutory: false })).toMatchObject({ text: '(name, statutory) VALUES (?, ?)', params: ['A', 0] });
    expect(() => sqlIdentifier('area = 1; --')).toThrow(/not a plain SQL identifier/);
    expect(() => sqlAssignments({ 'area, closed_only': 0 })).toThrow(/not a plain SQL identifier/);
  });
});

describe('visibility fragments', () => {
  it('let statutory partners see everything and hide closed-only rows from everyone else', () => {
    expect(caseVisible({ role: 'statutory' })).toBe(SQL_TRUE);
    expect(caseVisible({ role: 'non_statutory' }).text).toBe('c.closed_only = 0');
    expect(() => caseVisible({ role: 'non_statutory' }, 'c; --')).toThrow(/identifier/);
  });

  it('test a person by the id expression given, in both of its sub-queries', () => {
    const q = personVisible({ userId: 1, role: 'non_statutory' }, sql`a.person_id`);
    expect(q.text.match(/vs\.person_id = a\.person_id/g)).toHaveLength(2);
    // A person on no case is the recorder's to see: the viewer's id is the one parameter, never spliced.
    expect(q.text).toMatch(/vp\.created_by = \?/);
    expect(q.params).toEqual([1]);
  });
});
