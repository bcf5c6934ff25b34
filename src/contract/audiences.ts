// Audience profiles for released documents. A profile says, for each field classification, what happens
// to a field of that kind; the exporter asks `treatmentOf(schema, audience)` for each field it writes, so
// no field is redacted by code of its own and a new field is covered by how it is classified.
import type { z } from 'zod';
import { classificationOf, type Classification } from './fields.js';

export const AUDIENCES = ['closed', 'open', 'board'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const AUDIENCE_LABELS: Readonly<Record<Audience, string>> = {
  closed: 'Closed: statutory attendees of the closed meeting (everything)',
  open: 'Open: members of the open meeting (subjects pseudonymised, identifiers and closed-only content removed)',
  board: 'Board: figures and outcome indicators only (no case rows)',
};

/**
 * keep: written as stored. pseudonymise: written in a form that no longer identifies (a subject label, an
 * age band, the ward). scan: free text, written after redaction. drop: not written at all.
 */
export type Treatment = 'keep' | 'pseudonymise' | 'scan' | 'drop';

export const PROFILES: Readonly<Record<Audience, Readonly<Record<Classification, Treatment>>>> = {
  closed: { direct_identifier: 'keep', quasi_identifier: 'keep', special_category: 'keep', free_text: 'keep', safe: 'keep' },
  open: { direct_identifier: 'pseudonymise', quasi_identifier: 'pseudonymise', special_category: 'drop', free_text: 'scan', safe: 'keep' },
  board: { direct_identifier: 'drop', quasi_identifier: 'drop', special_category: 'drop', free_text: 'drop', safe: 'keep' },
};

/** Whether closed-meeting-only objects (paragraphs, spans, decisions, cases) are written for the audience. */
export function includesClosedOnly(audience: Audience): boolean {
  return audience === 'closed';
}

/** What the audience gets of a field. An unclassified field is treated as the most sensitive kind. */
export function treatmentOf(schema: z.ZodType, audience: Audience): Treatment {
  return PROFILES[audience][classificationOf(schema) ?? 'special_category'];
}

/** "Subject A", "Subject B", … "Subject AA": stable labels for the subjects of a meeting, in agenda order. */
export function subjectLabel(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `Subject ${letters}`;
}

/** An age band for a date of birth on a given day ("25–34"), for audiences that may not see the date. */
export function ageBand(dateOfBirth: string, on: string): string {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  if (age < 10) return 'under 10';
  if (age < 18) return '10–17';
  if (age < 25) return '18–24';
  const bands: [number, number][] = [
    [25, 34],
    [35, 44],
    [45, 54],
    [55, 64],
  ];
  for (const [lo, hi] of bands) if (age <= hi && age >= lo) return `${lo}–${hi}`;
  return '65 and over';
}
