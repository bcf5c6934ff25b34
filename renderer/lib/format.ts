// How values read on screen: dates (kept in the store as ISO strings, shown the British way), names and
// tag colours. The words for stored values are in labels.ts.
import type { CaseStatus } from '../../src/domain/lifecycle.js';
import type { HarmLevel } from '../../src/domain/risk.js';
import type { TriggerStatus } from '../../src/domain/enforcement.js';
import type { TagColour } from '../components/Tag.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A textarea holding one entry a line (recipients, factors, responsibilities) → its trimmed, non-empty lines. */
export function nonEmptyLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** "2025-10-01" → "1 Oct 2025". */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? isoDate : dateFormat.format(d);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

/** Accepts 2025-10-01 or 1/10/2025 (day first, as written in the UK); returns ISO or the text unchanged. */
export function parseDateInput(text: string): string {
  const t = text.trim();
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (uk) return `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
  return t;
}

export const STATUS_COLOURS: Readonly<Record<CaseStatus, TagColour>> = {
  referred: 'blue',
  accepted: 'turquoise',
  declined: 'grey',
  active: 'green',
  under_review: 'yellow',
  closed: 'grey',
};

export const RISK_COLOURS: Readonly<Record<HarmLevel, TagColour>> = { low: 'green', medium: 'yellow', high: 'red' };

export function personName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`;
}

export const TRIGGER_STATUS_COLOURS: Readonly<Record<TriggerStatus, TagColour>> = {
  received: 'blue',
  threshold_met: 'orange',
  threshold_not_met: 'grey',
  review_held: 'turquoise',
  closed: 'green',
};
