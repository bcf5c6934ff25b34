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

const SIMILAR = 0.9;

/**
 * Whether two full names probably name the same person: near-identical spellings, the same words in
 * another order ("Smith John"), or the same family name with a given name that is a short form or a
 * near spelling of the other ("Jon" / "Jonathan", "Sian" / "Siân").
 */
export function namesSimilar(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (!ka || !kb) return false;
  if (jaroWinkler(ka, kb) >= SIMILAR) return true;
  const ta = ka.split(' ');
  const tb = kb.split(' ');
  if (jaroWinkler([...ta].sort().join(' '), [...tb].sort().join(' ')) >= SIMILAR) return true;
  const familyA = ta.at(-1)!;
  const familyB = tb.at(-1)!;
  if (ta.length < 2 || tb.length < 2 || jaroWinkler(familyA, familyB) < SIMILAR) return false;
  const givenA = ta[0]!;
  const givenB = tb[0]!;
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
