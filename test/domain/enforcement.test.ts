// The 2014 Act's rules without a store: stage order, impossible dates, breaches, the Community Trigger threshold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRIGGER_THRESHOLD,
  PREREQUISITE,
  addDays,
  checkBreachDate,
  checkEnforcementDates,
  checkTriggerStep,
  daysBetween,
  isExpiringWithin,
  isPlaceTool,
  percentage,
  periodOf,
  qualifyingComplaints,
  triggerTest,
  twelveMonthsTo,
  type EnforcementDates,
} from '../../src/domain/enforcement.js';

const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));
const none: EnforcementDates = { issued: null, served: null, hearing: null, granted: null, expiry: null };

describe('enforcement: stage order', () => {
  it('a CPN needs a CPW, a Closure Order a Closure Notice; nothing else has a prerequisite', () => {
    expect(PREREQUISITE).toEqual({ community_protection_notice: 'community_protection_warning', closure_order: 'closure_notice' });
    expect(isPlaceTool('public_spaces_protection_order')).toBe(true);
    expect(isPlaceTool('criminal_behaviour_order')).toBe(false);
  });
});

describe('enforcement: impossible dates', () => {
  it('served before issued is refused on served; the same day is allowed', () => {
    expect(checkEnforcementDates({ ...none, issued: '2026-05-02', served: '2026-05-01' })).toMatchObject({ field: 'served' });
    expect(checkEnforcementDates({ ...none, issued: '2026-05-02', served: '2026-05-02' })).toBeNull();
  });
  it('expiry before grant is refused on expiry', () => {
    expect(checkEnforcementDates({ ...none, granted: '2026-05-02', expiry: '2026-05-01' })).toMatchObject({ field: 'expiry' });
  });
  it('property: any dates in order are accepted', () => {
    fc.assert(
      fc.property(fc.array(day, { minLength: 4, maxLength: 4 }), (ds) => {
        const [issued, served, granted, expiry] = [...ds].sort();
        expect(checkEnforcementDates({ issued: issued!, served: served!, hearing: null, granted: granted!, expiry: expiry! })).toBeNull();
      }),
    );
  });
  it('property: served strictly before issued is always refused, on served', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 3000 }), (issued, gap) => {
        expect(checkEnforcementDates({ ...none, issued, served: addDays(issued, -gap) })?.field).toBe('served');
      }),
    );
  });
  it('property: expiry strictly before grant is always refused, on expiry', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 3000 }), (granted, gap) => {
        expect(checkEnforcementDates({ ...none, granted, expiry: addDays(granted, -gap) })?.field).toBe('expiry');
      }),
    );
  });
  it('property: addDays and daysBetween agree', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
    );
  });
});

describe('enforcement: breaches and expiry', () => {
  const dates: EnforcementDates = { ...none, issued: '2026-01-10', served: '2026-01-12', expiry: '2026-07-12' };
  it('a breach must fall while the measure is in force', () => {
    expect(checkBreachDate(dates, '2026-01-11')).toMatchObject({ field: 'date' });
    expect(checkBreachDate(dates, '2026-01-12')).toBeNull();
    expect(checkBreachDate(dates, '2026-07-12')).toBeNull();
    expect(checkBreachDate(dates, '2026-07-13')).toMatchObject({ field: 'date' });
  });
  it('expiring within N days: today through today + N', () => {
    expect(isExpiringWithin('2026-03-01', '2026-03-01', 30)).toBe(true);
    expect(isExpiringWithin('2026-03-31', '2026-03-01', 30)).toBe(true);
    expect(isExpiringWithin('2026-04-01', '2026-03-01', 30)).toBe(false);
    expect(isExpiringWithin('2026-02-28', '2026-03-01', 30)).toBe(false);
    expect(isExpiringWithin(null, '2026-03-01', 30)).toBe(false);
  });
});

describe('Community Trigger threshold', () => {
  const app = '2026-06-30';
  it('two complaints do not meet it, three do', () => {
    expect(triggerTest([addDays(app, -1), addDays(app, -2)], app, false)).toMatchObject({ qualifyingComplaints: 2, met: false });
    expect(triggerTest([addDays(app, -1), addDays(app, -2), addDays(app, -3)], app, false)).toMatchObject({
      qualifyingComplaints: 3,
      met: true,
    });
  });
  it('a complaint 182 days before the application counts; 183 days before does not', () => {
    const two = [addDays(app, -1), addDays(app, -2)];
    expect(triggerTest([...two, addDays(app, -182)], app, false).met).toBe(true);
    expect(triggerTest([...two, addDays(app, -183)], app, false).met).toBe(false);
  });
  it('persistent harm meets the local test whatever the count', () => {
    expect(triggerTest([], app, true)).toMatchObject({ complaintsMet: false, met: true });
  });
  it('the threshold is configurable', () => {
    expect(qualifyingComplaints([addDays(app, -40)], app, { complaints: 1, windowDays: 30 })).toBe(0);
    expect(triggerTest([addDays(app, -1)], app, false, { complaints: 1, windowDays: 30 }).met).toBe(true);
  });
  it('property: complaints after the application never count', () => {
    fc.assert(
      fc.property(day, fc.array(fc.integer({ min: 1, max: 400 })), (a, gaps) => {
        expect(
          qualifyingComplaints(
            gaps.map((g) => addDays(a, g)),
            a,
            DEFAULT_TRIGGER_THRESHOLD,
          ),
        ).toBe(0);
      }),
    );
  });
  it('steps follow the review: decide once, review a met threshold, recommend after the review', () => {
    expect(checkTriggerStep('received', 'decide')).toBeNull();
    expect(checkTriggerStep('threshold_met', 'decide')).toMatchObject({ field: 'triggerId' });
    expect(checkTriggerStep('threshold_not_met', 'review')).toMatchObject({ field: 'triggerId' });
    expect(checkTriggerStep('review_held', 'recommend')).toBeNull();
  });
});

describe('periods', () => {
  it('months and quarters', () => {
    expect(periodOf('2026-05-31', 'month')).toBe('2026-05');
    expect(periodOf('2026-05-31', 'quarter')).toBe('2026-Q2');
    expect(periodOf('2026-12-01', 'quarter')).toBe('2026-Q4');
    expect(percentage(1, 3)).toBe(33.3);
    expect(percentage(0, 0)).toBeNull();
  });
});

describe('the twelve months to a date (the board minutes)', () => {
  it('start the day after the same date a year before, leap days included', () => {
    expect(twelveMonthsTo('2026-03-07')).toBe('2025-03-08');
    expect(twelveMonthsTo('2026-01-01')).toBe('2025-01-02');
    expect(twelveMonthsTo('2026-12-31')).toBe('2026-01-01');
    expect(twelveMonthsTo('2028-02-29')).toBe('2027-03-01');
    expect(twelveMonthsTo('2029-03-01')).toBe('2028-03-02');
  });

  it('always span 365 or 366 days, ending on the date', () => {
    fc.assert(
      fc.property(day, (d) => {
        const span = daysBetween(twelveMonthsTo(d), d) + 1;
        expect([365, 366]).toContain(span);
      }),
    );
  });
});
