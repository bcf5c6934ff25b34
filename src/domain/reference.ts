// Case references. New references are LCSP-YYYY-XXXXX: five characters drawn at random from an alphabet
// with no look-alikes (Crockford's base 32: no I, L, O or U), at least one of them a letter. They used to be
// LCSP-YYYY-NNNN, numbered from 1 within each year, which told anyone given a reference how many cases had
// been opened that year, including the closed-only ones they cannot see (issue 16, finding 3): a
// non-statutory member who sees no case at all was given LCSP-2026-0003. A random suffix says nothing about
// any other case. References already given keep their numbers, so both forms are read; the letter makes the
// two forms disjoint (a new suffix is never all digits), so a reference is never ambiguous.
export const CASE_REFERENCE_PREFIX = 'LCSP';
/** Crockford's base 32, in ASCII order: a suffix read aloud or typed back cannot be confused. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_SUFFIX_LENGTH = 5;
export const CASE_REFERENCE_PATTERN = /^LCSP-(\d{4})-(\d{4,}|[0-9A-HJKMNP-TV-Z]{5})$/;

/** The old, numbered form: still used for the references a store already holds (and by loaders that mimic them). */
export function formatCaseReference(year: number, sequence: number): string {
  checkYear(year);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('sequence starts at 1');
  return `${CASE_REFERENCE_PREFIX}-${year}-${String(sequence).padStart(4, '0')}`;
}

/**
 * A new reference in `year`. `randomBelow(n)` gives a uniformly random whole number in [0, n): the caller
 * brings the randomness (a cryptographic source in the store), so this module stays pure.
 */
export function randomCaseReference(year: number, randomBelow: (n: number) => number): string {
  checkYear(year);
  for (;;) {
    let suffix = '';
    for (let i = 0; i < REFERENCE_SUFFIX_LENGTH; i++) suffix += REFERENCE_ALPHABET[randomBelow(REFERENCE_ALPHABET.length)];
    // All digits would read as an old numbered reference (about 1 draw in 330): draw again.
    if (/[A-Z]/.test(suffix)) return `${CASE_REFERENCE_PREFIX}-${year}-${suffix}`;
  }
}

/**
 * A reference as typed: any case, spaces around it, and for a new suffix the letters people mistake for
 * digits (O for 0, I and L for 1). `sequence` is the number of an old reference, null for a new one.
 */
export function parseCaseReference(reference: string): { year: number; suffix: string; sequence: number | null } | null {
  const typed = reference.trim().toUpperCase();
  const match = CASE_REFERENCE_PATTERN.exec(typed) ?? CASE_REFERENCE_PATTERN.exec(readLookAlikes(typed));
  if (!match) return null;
  const suffix = match[2]!;
  return { year: Number(match[1]), suffix, sequence: /^\d+$/.test(suffix) ? Number(suffix) : null };
}

function readLookAlikes(typed: string): string {
  const parts = /^(LCSP-\d{4}-)([0-9A-Z]{5})$/.exec(typed);
  return parts ? parts[1]! + parts[2]!.replace(/O/g, '0').replace(/[IL]/g, '1') : typed;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError('year must have four digits');
}
