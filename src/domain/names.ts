// Matching people's names and addresses for the duplicate warning. Deliberately forgiving: a false
// warning costs a click, a missed duplicate splits one person's history across two records.

/** Lower case, accents and punctuation removed, spaces collapsed: "O'Brien-Smith" → "obrien smith". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Jaro-Winkler similarity in [0, 1]: tolerant of typos and transpositions in short strings like names. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Whether two full names probably name the same person: the same family name (allowing a typo) with a
 * given name that is a near spelling, a short form or an initial of the other ("Jon" / "Jonathan",
 * "Sian" / "Siân"), in either order ("Ellis Jordan"). Middle names are ignored.
 */
export function namesSimilar(a: string, b: string): boolean {
  const ta = nameKey(a).split(' ').filter(Boolean);
  const tb = nameKey(b).split(' ').filter(Boolean);
  if (ta.length === 0 || tb.length === 0) return false;
  return sameName(ta, tb) || sameName(ta, [...tb].reverse());
}

function sameName(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 1 || b.length === 1) return jaroWinkler(a.join(' '), b.join(' ')) >= 0.92;
  if (jaroWinkler(a.at(-1)!, b.at(-1)!) < 0.9) return false;
  const givenA = a[0]!;
  const givenB = b[0]!;
  return givenA.startsWith(givenB) || givenB.startsWith(givenA) || jaroWinkler(givenA, givenB) >= 0.85;
}

// UK postcodes: outward code (area, district) then inward code (sector, unit). The special GIR 0AA is left out.
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$/;

export function isUkPostcode(value: string): boolean {
  return POSTCODE.test(value.trim().toUpperCase());
}

/** "b12 9qr" → "B12 9QR"; the stored and displayed form. */
export function formatPostcode(value: string): string {
  const match = POSTCODE.exec(value.trim().toUpperCase());
  return match ? `${match[1]} ${match[2]}` : value.trim().toUpperCase();
}

/** The key two addresses share when they are the same place: first line and postcode, normalised. */
export function addressKey(line1: string, postcode: string | null | undefined): string | null {
  const line = nameKey(line1);
  if (!line || !postcode) return null;
  return `${line}|${formatPostcode(postcode).replace(' ', '')}`;
}
