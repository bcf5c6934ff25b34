// Case references: LCSP-YYYY-NNNN, numbered from 1 within each year. Past 9999 in a year the number
// simply grows a digit, so the format never runs out.
export const CASE_REFERENCE_PREFIX = 'LCSP';
export const CASE_REFERENCE_PATTERN = /^LCSP-(\d{4})-(\d{4,})$/;

export function formatCaseReference(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError('year must have four digits');
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('sequence starts at 1');
  return `${CASE_REFERENCE_PREFIX}-${year}-${String(sequence).padStart(4, '0')}`;
}

export function parseCaseReference(reference: string): { year: number; sequence: number } | null {
  const match = CASE_REFERENCE_PATTERN.exec(reference.trim().toUpperCase());
  if (!match) return null;
  return { year: Number(match[1]), sequence: Number(match[2]) };
}
