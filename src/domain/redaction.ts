// Free-text redaction for released minutes. Finds every known identifier of the people in a meeting's
// cases, and every identifier-shaped pattern, and returns spans (with a reason) so a reviewer can see each
// one before anything leaves the building. Errs towards redacting: a leaked name cannot be recalled, an
// over-redacted word costs a reviewer one click.
//
// Matching runs on a folded copy of the text (lower case, accents stripped, typographic apostrophes and
// dashes made plain) with a map back to the original offsets, so "ZOË", "Zoe" and "Zoë's" all hit "Zoë".

/** What the redactor knows about one person. Dates are ISO (YYYY-MM-DD). */
export interface KnownPerson {
  /** How the person is referred to once redacted, e.g. "Subject A" or "household member". */
  label: string;
  givenName: string;
  familyName: string;
  aliases: readonly string[];
  dateOfBirth: string | null;
  addresses: readonly { line1: string; line2: string | null; town: string | null; postcode: string | null }[];
  /** Phone numbers, e-mail addresses, other contact details as stored. */
  contacts: readonly string[];
  /** Police, council, housing, NHS, NI and other reference numbers as stored. */
  identifiers: readonly string[];
}

export const REDACTION_REASONS = [
  'name',
  'alias',
  'address',
  'postcode',
  'date_of_birth',
  'identifier',
  'contact',
  'phone',
  'email',
  'ni_number',
  'nhs_number',
  'vehicle_registration',
  'manual',
] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

export const REASON_LABELS: Readonly<Record<RedactionReason, string>> = {
  name: 'name',
  alias: 'alias',
  address: 'address',
  postcode: 'postcode',
  date_of_birth: 'date of birth',
  identifier: 'reference number',
  contact: 'contact detail',
  phone: 'phone number',
  email: 'e-mail address',
  ni_number: 'National Insurance number',
  nhs_number: 'NHS number',
  vehicle_registration: 'vehicle registration',
  manual: 'manual redaction',
};

/** [start, end) in UTF-16 offsets of the original text. */
export interface RedactionSpan {
  start: number;
  end: number;
  reason: RedactionReason;
  /** The person it identifies, when known (their label, never their name). */
  subject: string | null;
}

// ── folding ───────────────────────────────────────────────────────────────────────────────────────────

const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ı: 'i',
  ħ: 'h',
  '’': "'",
  '‘': "'",
  '`': "'",
  ʼ: "'",
  '′': "'",
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '\u00ad': '-',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u202f': ' ',
};

const foldCache = new Map<string, string>();

export function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch === '`' ? "'" : ch;
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    folded = foldUncached(ch);
    foldCache.set(ch, folded);
  }
  return folded;
}

function foldUncached(ch: string): string {
  const lower = ch.toLowerCase();
  const extra = EXTRA_FOLDS[lower];
  if (extra !== undefined) return extra;
  return lower.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** The folded text and, for each folded code unit, the [start, end) of the original character it came from. */
export interface FoldedText {
  text: string;
  from: Int32Array;
  to: Int32Array;
}

export function fold(original: string): FoldedText {
  const length = original.length;
  // Most text is ASCII without a backtick: lower case is its whole folding, one unit for one unit.
  let ascii = true;
  for (let i = 0; i < length && ascii; i++) {
    const code = original.charCodeAt(i);
    ascii = code < 0x80 && code !== 0x60;
  }
  if (ascii) {
    const from = new Int32Array(length);
    const to = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      from[i] = i;
      to[i] = i + 1;
    }
    return { text: original.toLowerCase(), from, to };
  }
  let from = new Int32Array(length + 16);
  let to = new Int32Array(length + 16);
  let text = '';
  let n = 0;
  let i = 0;
  while (i < length) {
    const code = original.charCodeAt(i);
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      const low = original.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) width = 2;
    }
    const folded = foldChar(width === 1 ? original[i]! : original.slice(i, i + 2));
    if (n + folded.length > from.length) {
      const grown = (from.length + folded.length) * 2;
      from = growTo(from, grown);
      to = growTo(to, grown);
    }
    for (let k = 0; k < folded.length; k++, n++) {
      from[n] = i;
      to[n] = i + width;
    }
    text += folded;
    i += width;
  }
  return { text, from: from.slice(0, n), to: to.slice(0, n) };
}

function growTo(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}

export function foldString(value: string): string {
  let out = '';
  for (const ch of value) out += foldChar(ch);
  return out;
}

// ── patterns built from what we know ──────────────────────────────────────────────────────────────────

// Whole-word boundaries are checked in code, not with \p{L} look-arounds in each pattern: V8 takes
// milliseconds to compile every Unicode property class, and a meeting has hundreds of patterns.
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWordChar = (ch: string | undefined) => ch !== undefined && WORD_CHAR.test(ch);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Between two letters of a name: nothing, or a hyphen and a line break (a word broken at the margin). */
const SOFT_BREAK = '(?:-[ \\t]*\\r?\\n[ \\t]*)?';
/** Between two words of a name: any run of spaces, line breaks or a hyphen with spaces around it. */
const WORD_GAP = '(?:\\s*-\\s*|\\s+)';

/**
 * Words that are names but also ordinary English: matched only where the original starts with a capital,
 * so "Will" is redacted and "we will" is not.
 */
const COMMON_WORD_NAMES = new Set([
  'will',
  'may',
  'mark',
  'rose',
  'grace',
  'hope',
  'faith',
  'joy',
  'bill',
  'pat',
  'sue',
  'rob',
  'carol',
  'dawn',
  'summer',
  'june',
  'april',
  'august',
  'frank',
  'jack',
  'hunter',
  'baker',
  'white',
  'black',
  'brown',
  'green',
  'young',
  'king',
  'wood',
  'hill',
  'moor',
  'long',
  'little',
  'wells',
  'banks',
  'field',
  'ward',
  'lane',
  'park',
  'bush',
  'reed',
  'page',
  'cook',
  'rich',
  'sharp',
  'bright',
  'case',
  'hall',
  'price',
  'chance',
  'day',
  'march',
  'sterling',
  'glass',
  'stone',
  'gay',
  'art',
  'ray',
  'don',
  'guy',
  'penny',
  'holly',
  'ivy',
  'heather',
  'amber',
  'major',
  'north',
  'south',
  'west',
  'east',
  'marsh',
  'ash',
  'moss',
  'bird',
  'fox',
  'lamb',
  'nash',
  'bell',
  'english',
  'french',
  'iris',
  'sky',
  'storm',
  'miles',
  'said',
  'fisher',
  'mason',
  'carter',
  'cross',
  'best',
]);

/**
 * A name's pattern; with `softBreaks`, also where a hyphen and a line break split one of its words. A text
 * with no such break is searched without them: the same matches, from a pattern V8 compiles and runs
 * several times faster (a soft break between every two letters defeats its literal search).
 */
function namePattern(foldedName: string, softBreaks = true): string | null {
  const words = foldedName.split(/[\s-]+/).filter(Boolean);
  if (words.length === 0) return null;
  const wordPatterns = words.map((w) => [...w].map((c) => (c === "'" ? "'?" : escape(c))).join(softBreaks ? SOFT_BREAK : ''));
  // A possessive ("Smith's", "Jones'") is part of the name for redaction.
  return `${wordPatterns.join(WORD_GAP)}(?:'s?)?`;
}

/** Where SOFT_BREAK can match something: a text without it needs no soft-break pattern. */
const HAS_SOFT_BREAK = /-[ \t]*\r?\n/;

const STREET_ABBREVIATIONS: readonly [string, string][] = [
  ['road', 'rd'],
  ['street', 'st'],
  ['avenue', 'ave?'],
  ['lane', 'ln'],
  ['close', 'cl'],
  ['drive', 'dr'],
  ['crescent', 'cres'],
  ['court', 'ct'],
  ['place', 'pl'],
  ['gardens', 'gdns'],
  ['terrace', 'terr?'],
  ['square', 'sq'],
  ['grove', 'gr'],
  ['mews', 'mews'],
  ['way', 'way'],
  ['walk', 'wlk'],
  ['park', 'pk'],
  ['house', 'ho'],
];

/**
 * "12a Acacia Avenue" → patterns for the whole line and for the street without its number, either spelling;
 * each with the words it holds as written (every one but the abbreviable last).
 */
function addressLinePatterns(line: string): { pattern: string; words: string[] }[] {
  const folded = foldString(line).trim().replace(/,$/, '');
  if (!folded) return [];
  const out: { pattern: string; words: string[] }[] = [];
  const noFlat = folded.replace(/^flat\s+\d+\w?,?\s*/, '');
  const noNumber = noFlat.replace(/^\d+[a-z]?(?:-\d+[a-z]?)?,?\s+/, '');
  for (const variant of new Set([folded, noFlat, noNumber])) {
    const words = variant.split(/[\s,]+/).filter(Boolean);
    if (words.length === 0) continue;
    // A lone word left after the number ("12 Broadway" → "broadway") is still the street.
    const last = words.at(-1)!;
    const abbreviation = STREET_ABBREVIATIONS.find(([full, short]) => last === full || new RegExp(`^${short}\\.?$`).test(last));
    const lastPattern = abbreviation ? `(?:${abbreviation[0]}|${abbreviation[1]}\\.?)` : escape(last);
    const body = [...words.slice(0, -1).map(escape), lastPattern].join('[\\s,]+');
    out.push({ pattern: body, words: words.slice(0, -1) });
  }
  return out;
}

/**
 * A word every form of the address line holds: the one before the last (only the last is abbreviated,
 * and a leading "Flat 3" may be left off); a lone word unless it is itself abbreviable ("" then: always run).
 */
function addressAnchor(line: string): string {
  const words = foldString(line)
    .split(/[\s,]+/)
    .filter((w) => /^\p{L}{2,}/u.test(w));
  if (words.length >= 2) return anchorOf(words.at(-2)!);
  const only = words[0];
  if (!only || STREET_ABBREVIATIONS.some(([full]) => full === only)) return '';
  return anchorOf(only);
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A date of birth in the ways people write it: 07/03/1984, 7.3.84, 1984-03-07, 7th March 1984, March 7, 1984, 7 Mar 84. */
export function dateOfBirthPattern(iso: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [, yyyy, mm, dd] = match as unknown as [string, string, string, string];
  const d = String(Number(dd));
  const m = String(Number(mm));
  const yy = yyyy.slice(2);
  const monthName = MONTHS[Number(mm) - 1]!;
  const month = `(?:${monthName}|${monthName.slice(0, 3)}${monthName === 'september' ? '|sept' : ''})\\.?`;
  const day = `0?${d}(?:st|nd|rd|th)?`;
  const year = `(?:${yyyy}|'?${yy})`;
  const sep = '\\s*[/.\\-]\\s*';
  const forms = [
    `0?${d}${sep}0?${m}${sep}${year}`,
    `${yyyy}${sep}0?${m}${sep}0?${d}`,
    `${day}(?:\\s+of)?[\\s\\-]+${month}[\\s,\\-]+${year}`,
    `${month}\\s+${day},?\\s+${year}`,
  ];
  return `(?:${forms.join('|')})`;
}

/** A stored value (reference, contact) matched literally, ignoring case and spacing. */
function literalPattern(value: string): string | null {
  const folded = foldString(value).trim();
  if (folded.length < 3) return null;
  const pieces = folded
    .split(/\s+/)
    .filter(Boolean)
    .map((piece) => [...piece].map(escape).join('\\s?'));
  return pieces.join('\\s*');
}

// ── patterns that need no knowledge ───────────────────────────────────────────────────────────────────

interface PatternRule {
  reason: RedactionReason;
  regex: RegExp;
  accept?: (match: string) => boolean;
  /** Case matters (capitals-only formats): run on the original text rather than the folded one. */
  original?: boolean;
}

const PATTERN_RULES: readonly PatternRule[] = [
  { reason: 'email', regex: /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu },
  // UK numbers: 0 or +44 (optionally "(0)"), then 9 or 10 more digits grouped by spaces, hyphens or brackets.
  { reason: 'phone', regex: /(?<![\p{L}\p{N}+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[ \-)]{0,2}\d){8,9}(?!\p{N})/gu },
  {
    reason: 'ni_number',
    regex: /(?<![\p{L}\p{N}])(?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?\d{2} ?\d{2} ?\d{2} ?[a-d](?![\p{L}\p{N}])/giu,
  },
  { reason: 'nhs_number', regex: /(?<![\p{L}\p{N}])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\p{L}\p{N}])/gu, accept: (m) => isValidNhsNumber(m) },
  { reason: 'postcode', regex: /(?<![\p{L}\p{N}])[a-z]{1,2}\d[a-z\d]? ?\d[abd-hjlnp-uw-z]{2}(?![\p{L}\p{N}])/giu },
  // Vehicle registrations: current (AB12 CDE, either case), prefix (A123 BCD) and suffix (ABC 123D) in capitals.
  { reason: 'vehicle_registration', regex: /(?<![\p{L}\p{N}])[a-z]{2}\d{2} ?[a-z]{3}(?![\p{L}\p{N}])/giu },
  {
    reason: 'vehicle_registration',
    regex: /(?<![\p{L}\p{N}])(?:[A-Z]\d{1,3} ?[A-Z]{3}|[A-Z]{3} ?\d{1,3}[A-Z])(?![\p{L}\p{N}])/gu,
    original: true,
  },
];

/** NHS numbers: ten digits, the last a modulus-11 check digit of the first nine (weights 10…2). */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

// ── the redactor ──────────────────────────────────────────────────────────────────────────────────────

interface KnownRule {
  reason: RedactionReason;
  regex: RegExp;
  /** A name's pattern with soft breaks, compiled the first time a text holds one (see namePattern). */
  softPattern: string | null;
  softRegex: RegExp | null;
  subject: string;
  capitalOnly: boolean;
  /**
   * Characters every match contains, in the text with soft breaks, apostrophes and spaces taken out (a
   * whole word of a name, a whole stored value): a rule whose anchor is absent is skipped without running
   * its pattern, which keeps a meeting of hundreds of people from costing people × texts regex runs.
   */
  anchor: string;
  /** Further whole words every match holds (the other words of a name or a street): all must be in the text too. */
  also: readonly string[];
  /** A date of birth: where its match can start (see DateStarts); checked once its anchor is met. */
  date: { day: number; year: number; month: string } | null;
  /** Its place among the rules: they run in this order. */
  order: number;
  /** The last `find` that looked at it (so a text wakes a rule once). */
  seen: number;
}

/** The folded text as anchors are looked for in it. */
function anchorText(folded: string): string {
  // One pass: a soft break starts with a hyphen, which a run of spaces and apostrophes never holds, so
  // taking out both in one scan leaves what taking out soft breaks, then the rest, would.
  return folded.replace(/-[ \t]*\r?\n[ \t]*|['\s]+/g, '');
}

/** The whole value as it must appear in a text's anchor text: the longer it is, the fewer texts wake the rule. */
function anchorOf(value: string): string {
  return anchorText(foldString(value));
}

/** Words a match holds whole, as anchors: only plain ones (letters, digits, apostrophes), which anchorText keeps intact. */
function wordAnchors(words: readonly string[], except: string): string[] {
  const out = new Set<string>();
  for (const word of words) {
    if (!/^[\p{L}\p{N}']+$/u.test(word)) continue;
    const anchor = anchorOf(word);
    if (anchor && anchor !== except) out.add(anchor);
  }
  return [...out];
}

/**
 * Where a date of birth's match can start in a text. Each written form (see dateOfBirthPattern) begins at
 * a word boundary with the day, the four-digit year or the month's name, the number being a whole run of
 * digits (a separator or letter follows it). So a person's date rule can match only if the text holds,
 * at a word boundary, a run of digits worth their day or year, or their month's first three letters: a
 * check that keeps the hundred people born in some year ending "84" from each running on every text that
 * holds an "84".
 */
class DateStarts {
  readonly numbers = new Set<number>();
  readonly words = new Set<string>();
  constructor(folded: string) {
    let previousIsWord = false;
    for (let i = 0; i < folded.length; i++) {
      const code = folded.charCodeAt(i);
      const isDigit = code >= 48 && code <= 57;
      if (!previousIsWord) {
        if (isDigit) {
          let end = i + 1;
          while (end < folded.length && folded.charCodeAt(end) >= 48 && folded.charCodeAt(end) <= 57) end++;
          this.numbers.add(Number(folded.slice(i, end)));
        } else if (code >= 97 && code <= 122) {
          this.words.add(folded.slice(i, i + 3));
        }
      }
      previousIsWord = isDigit || (code >= 97 && code <= 122) || (code >= 128 && isWordChar(folded[i]));
    }
  }
  allow(date: { day: number; year: number; month: string }): boolean {
    return this.numbers.has(date.day) || this.numbers.has(date.year) || this.words.has(date.month);
  }
}

function dateStartsOf(iso: string): { day: number; year: number; month: string } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  return { year: Number(match[1]), day: Number(match[3]), month: MONTHS[Number(match[2]) - 1]!.slice(0, 3) };
}

/** Anchors are indexed by their first few characters; a text looks up each of its own substrings that long. */
const ANCHOR_KEY = 3;

/** `length` (at most ANCHOR_KEY) UTF-16 code units of `text` from `start`, as one number (exact: 48 bits at most). */
function packedKey(text: string, start: number, length: number): number {
  let key = 0;
  for (let k = 0; k < length; k++) key = key * 65536 + text.charCodeAt(start + k);
  return key;
}

/**
 * Compiled patterns by source, kept for the thread's life (bounded): the export worker outlives an export,
 * and compiling a meeting's few hundred patterns costs more than running them, so the next export of the
 * same meeting (after a review, a preview) compiles none. A RegExp is shared only because every use resets
 * lastIndex and runs to the end synchronously.
 */
const compiledPatterns = new Map<string, RegExp>();
const PATTERNS_KEPT = 20_000;

function compiledPattern(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    if (compiledPatterns.size >= PATTERNS_KEPT) compiledPatterns.clear();
    // No 'u' flag: the patterns hold no property classes, and V8 compiles non-Unicode patterns far faster.
    regex = new RegExp(pattern, 'g');
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

/** Compiled once per meeting: the rules for its people, applied to each piece of text. */
export class Redactor {
  private readonly rules: KnownRule[] = [];

  constructor(people: readonly KnownPerson[]) {
    for (const person of people) this.addPerson(person);
  }

  private readonly compiled = new Set<string>();
  /**
   * Rules by the length of their key (the anchor's first ANCHOR_KEY characters, or all of a shorter one),
   * then by the key's UTF-16 code units packed into one number: a text's substrings are looked up
   * without making a string of each.
   */
  private readonly byKey = new Map<number, Map<number, KnownRule[]>>();
  private finds = 0;

  private add(
    reason: RedactionReason,
    pattern: string | null,
    subject: string,
    anchor: string,
    more: {
      capitalOnly?: boolean;
      softPattern?: string | null;
      also?: readonly string[];
      date?: KnownRule['date'];
    } = {},
  ): void {
    const { capitalOnly = false, softPattern = null, also = [], date = null } = more;
    if (!pattern) return;
    // Two people sharing a name share its rule (the first one's label names it): running it once per
    // person would make a large meeting cost people × texts.
    const identity = softPattern ?? pattern;
    if (this.compiled.has(identity)) return;
    this.compiled.add(identity);
    const regex = compiledPattern(pattern);
    const rule = {
      reason,
      regex,
      softPattern: softPattern !== pattern ? softPattern : null,
      softRegex: null,
      subject,
      capitalOnly,
      anchor,
      also,
      date,
      order: this.rules.length,
      seen: 0,
    };
    this.rules.push(rule);
    const length = Math.min(anchor.length, ANCHOR_KEY);
    let byLength = this.byKey.get(length);
    if (!byLength) this.byKey.set(length, (byLength = new Map()));
    const key = packedKey(anchor, 0, length);
    const sharing = byLength.get(key);
    if (sharing) sharing.push(rule);
    else byLength.set(key, [rule]);
  }

  /**
   * The rules whose anchor occurs in the text, in the order they were added (so overlapping finds merge
   * the same way whatever the text). Found by looking each of the text's short substrings up in the anchor
   * index: a text costs its own length, not the number of rules, which grows with the people in a meeting.
   */
  private rulesFor(anchors: string, folded: string): KnownRule[] {
    const hit: KnownRule[] = [];
    const find = ++this.finds;
    let dates: DateStarts | null = null;
    for (const [length, byKey] of this.byKey) {
      for (let i = 0; i + length <= anchors.length; i++) {
        const rules = byKey.get(packedKey(anchors, i, length));
        if (!rules) continue;
        for (const rule of rules) {
          if (rule.seen === find) continue;
          // Whether the whole anchor is in the text does not depend on where its key was met: checked once.
          rule.seen = find;
          if (rule.anchor.length > length && !anchors.includes(rule.anchor)) continue;
          if (rule.also.length && !rule.also.every((word) => anchors.includes(word))) continue;
          if (rule.date && !(dates ??= new DateStarts(folded)).allow(rule.date)) continue;
          hit.push(rule);
        }
        if (length === 0) break;
      }
    }
    return hit.sort((a, b) => a.order - b.order);
  }

  private addName(reason: RedactionReason, name: string, subject: string): void {
    const folded = foldString(name).trim();
    if (folded.replace(/[^\p{L}]/gu, '').length < 2) return;
    const words = folded.split(/[\s-]+/);
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
    const anchor = anchorOf(longest);
    this.add(reason, namePattern(folded, false), subject, anchor, {
      capitalOnly: COMMON_WORD_NAMES.has(folded),
      softPattern: namePattern(folded),
      also: wordAnchors(words, anchor),
    });
  }

  private addPerson(person: KnownPerson): void {
    const subject = person.label;
    const given = person.givenName.trim();
    const family = person.familyName.trim();
    this.addName('name', `${given} ${family}`, subject);
    this.addName('name', `${family} ${given}`, subject);
    this.addName('name', `${family}, ${given}`, subject);
    // Each part alone, including each half of a hyphenated or multi-word name ("Ó Briain", "Smith-Jones").
    for (const part of new Set([given, family, ...given.split(/[\s-]+/), ...family.split(/[\s-]+/)])) this.addName('name', part, subject);
    // "Ó Briain" is also written "O'Briain" and "OBriain".
    const joinedFamily = family.replace(/\s+/g, "'");
    if (joinedFamily !== family) this.addName('name', joinedFamily, subject);
    for (const alias of person.aliases) {
      this.addName('alias', alias, subject);
      for (const part of alias.split(/[\s-]+/)) if (part.length >= 3) this.addName('alias', part, subject);
    }
    // Every written form of a date of birth holds the last two digits of its year.
    if (person.dateOfBirth) {
      this.add('date_of_birth', dateOfBirthPattern(person.dateOfBirth), subject, person.dateOfBirth.slice(2, 4), {
        date: dateStartsOf(person.dateOfBirth),
      });
    }
    for (const address of person.addresses) {
      for (const line of [address.line1, address.line2]) {
        if (!line) continue;
        const anchor = addressAnchor(line);
        for (const { pattern, words } of addressLinePatterns(line))
          this.add('address', pattern, subject, anchor, { also: wordAnchors(words, anchor) });
      }
      if (address.town) this.addName('address', address.town, subject);
      if (address.postcode) this.add('postcode', literalPattern(address.postcode), subject, anchorOf(address.postcode));
    }
    for (const contact of person.contacts) this.add('contact', literalPattern(contact), subject, anchorOf(contact));
    for (const identifier of person.identifiers) this.add('identifier', literalPattern(identifier), subject, anchorOf(identifier));
  }

  /** Every span to redact in `text`, sorted and merged (overlaps joined, the first reason kept). */
  find(text: string): RedactionSpan[] {
    const folded = fold(text);
    const toOriginal = (start: number, end: number) => ({ start: folded.from[start]!, end: folded.to[end - 1]! });
    const found = this.knownSpans(text, folded);
    for (const rule of PATTERN_RULES) {
      for (const m of (rule.original ? text : folded.text).matchAll(rule.regex)) {
        if (rule.accept && !rule.accept(m[0])) continue;
        const span = rule.original ? { start: m.index, end: m.index + m[0].length } : toOriginal(m.index, m.index + m[0].length);
        found.push({ ...span, reason: rule.reason, subject: null });
      }
    }
    return mergeSpans(found);
  }

  /**
   * Only the known people's identifiers, none of the identifier-shaped patterns: what an erasure replaces
   * (someone else's phone number in the same note is not the erased person's).
   */
  findKnown(text: string): RedactionSpan[] {
    return mergeSpans(this.knownSpans(text, fold(text)));
  }

  private knownSpans(text: string, folded: FoldedText): RedactionSpan[] {
    const anchors = anchorText(folded.text);
    const found: RedactionSpan[] = [];
    const toOriginal = (start: number, end: number) => ({ start: folded.from[start]!, end: folded.to[end - 1]! });
    const softBreaks = HAS_SOFT_BREAK.test(folded.text);
    for (const rule of this.rulesFor(anchors, folded.text)) {
      const regex = softBreaks && rule.softPattern ? (rule.softRegex ??= compiledPattern(rule.softPattern)) : rule.regex;
      regex.lastIndex = 0;
      for (let m = regex.exec(folded.text); m; m = regex.exec(folded.text)) {
        const end = m.index + m[0].length;
        if (m[0].length === 0 || isWordChar(folded.text[m.index - 1]) || isWordChar(folded.text[end])) {
          regex.lastIndex = m.index + 1;
          continue;
        }
        const span = toOriginal(m.index, end);
        if (rule.capitalOnly && !/^\p{Lu}/u.test(text.slice(span.start))) continue;
        found.push({ ...span, reason: rule.reason, subject: rule.subject });
      }
    }
    return found;
  }
}

/** Sorted, with overlapping or touching spans joined; the longer span's reason wins. */
export function mergeSpans(spans: readonly RedactionSpan[]): RedactionSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RedactionSpan[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start <= last.end) {
      if (span.end > last.end) {
        if (span.end - span.start > last.end - last.start) Object.assign(last, { reason: span.reason, subject: span.subject });
        last.end = span.end;
      }
    } else {
      out.push({ ...span });
    }
  }
  return out;
}

/** How a redacted span reads in the released text: the person's label for a name, else the kind of detail. */
export function replacementFor(span: RedactionSpan): string {
  if ((span.reason === 'name' || span.reason === 'alias') && span.subject) return `[${span.subject}]`;
  if (span.reason === 'manual') return '[redacted]';
  return `[${REASON_LABELS[span.reason]} redacted]`;
}

/** The text with every span replaced. The redacted characters are gone, not hidden. */
export function applyRedactions(
  text: string,
  spans: readonly RedactionSpan[],
  replace: (span: RedactionSpan) => string = replacementFor,
): string {
  let out = '';
  let at = 0;
  for (const span of mergeSpans(spans)) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + replace(span);
    at = span.end;
  }
  return out + text.slice(at);
}

/** Up to `width` characters either side of a span, for the review list. */
export function contextOf(
  text: string,
  span: { start: number; end: number },
  width = 40,
): { before: string; match: string; after: string } {
  return {
    before: text.slice(Math.max(0, span.start - width), span.start),
    match: text.slice(span.start, span.end),
    after: text.slice(span.end, span.end + width),
  };
}
