// The calendar rule behind the retention queue, written out from the calendar rather than from the module.
import { describe, expect, it } from 'vitest';
import { addMonths, birthYearOf, isDue, reviewDueOn } from '../../src/domain/retention.js';

describe('retention dates', () => {
  it('adds calendar months, clamping the day to a shorter month', () => {
    expect(addMonths('2025-11-30', 12)).toBe('2026-11-30');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
    expect(addMonths('2025-03-31', 6)).toBe('2025-09-30');
    expect(addMonths('2025-06-10', 0)).toBe('2025-06-10');
    expect(addMonths('2025-06-10', 120)).toBe('2035-06-10');
  });

  it('a record is due on its date and after, not the day before', () => {
    const due = reviewDueOn('2025-11-30', 12);
    expect(isDue(due, '2026-11-29')).toBe(false);
    expect(isDue(due, '2026-11-30')).toBe(true);
    expect(isDue(due, '2026-12-01')).toBe(true);
  });

  it('keeps only the year of a date of birth', () => {
    expect(birthYearOf('1987-06-15')).toBe(1987);
    expect(birthYearOf(null)).toBeNull();
  });
});
