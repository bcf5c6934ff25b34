// fast-check inputs derived from the contract's own zod schemas, so a new operation (meetings,
// agreements, exports) is fuzzed the day it is added to src/contract/operations.ts. Valid inputs follow
// each schema's declared shape and limits; field names that mean something (case ids, user names,
// passphrases) draw from pools of live values, resolved at call time. Malformed inputs start from a
// valid one and break it: a wrong type, a huge string, deep nesting, unicode edge cases, SQL and HTML
// fragments, prototype-pollution keys.
import fc from 'fast-check';
import type { z } from 'zod';
import { drawn, typed } from './signatures.js';

export type PoolName =
  | 'case'
  | 'person'
  | 'organisation'
  | 'agreement'
  | 'username'
  | 'passphrase'
  | 'meeting'
  | 'agendaItem'
  | 'attendee'
  | 'action'
  | 'user'
  | 'enforcement'
  | 'trigger'
  | 'escalation';
export type Pools = Record<PoolName, readonly (string | number)[]>;

/** A value to take from a pool when the call is made (the pools grow as the fuzz creates things). */
export class FromPool {
  constructor(
    readonly pool: PoolName,
    readonly index: number,
  ) {}
  toJSON(): string {
    return `<${this.pool}#${this.index}>`;
  }
}

const fromPool = (pool: PoolName) => fc.nat({ max: 1000 }).map((i) => new FromPool(pool, i));

// ── strings ───────────────────────────────────────────────────────────────────────────────────────────

export const UNICODE_EDGES = [
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\uDE00b', // lone surrogates
  '\u202Egnp.exe',
  '\u200F\u05E9\u05DC\u05D5\u05DD',
  '\u061C\u0627', // RTL override, RTL mark, Arabic letter mark
  '\u200B',
  '\u200D',
  '\uFEFF',
  '\u0000',
  '\u0007',
  '\u001F',
  '\u007F',
  '\u0085',
  '\u2028',
  '\u2029',
  'e\u0301\u0301\u0301',
  'Z\u0351\u0352\u0353\u0354',
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}',
  '\u{10FFFF}',
  '\uFFFE',
  'ǅ',
  'ß',
  'İ',
  'ﬀ',
  '①',
  '½',
  'Ⅻ',
  '\u00A0',
  '\u3000',
  '\t\r\n',
];

export const INJECTIONS = [
  "'; DROP TABLE cases; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; DELETE FROM audit_log',
  "') UNION SELECT * FROM users --",
  '%',
  '_',
  '\\',
  '%_%',
  "x' COLLATE NOCASE --",
  "PRAGMA key = 'x'",
  "ATTACH DATABASE '/tmp/x' AS x",
  // FTS5 query syntax: every one must be taken literally by search.
  '"',
  '""',
  '*',
  'NEAR(a b, 2)',
  'a AND OR NOT b',
  '^start',
  'names: x',
  '{names aliases}: y',
  '(',
  ')',
  '-x',
  '+',
  'a:*',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '</textarea><svg onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7}',
  '#{7*7}',
  '=HYPERLINK("http://x")',
  "=cmd|' /C calc'!A0",
  '@SUM(1+1)',
  '+1-1',
  '../../../etc/passwd',
  'C:\\Windows\\system32',
  '%s%s%n',
  '\\x00',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
];

const WORDS = ['Ellis', 'Jordan', 'Parade', 'Northfield', 'Lime', 'Grove', 'Kings', 'Norton', 'noise', 'visit', 'Dana', 'police', 'B31'];

/** Text of any kind: plain words, arbitrary unicode (surrogates included), and hostile fragments. */
const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc.array(fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS, ...WORDS), { minLength: 1, maxLength: 5 }).map((p) => p.join(' ')),
  },
);

/** Text that trims to between `min` and `max` characters, sometimes exactly `max` long. */
function boundedText(min: number, max: number): fc.Arbitrary<string> {
  const fit = (s: string) => {
    let t = s.trim().slice(0, max).trim();
    if (t.length < min) t = `${'x'.repeat(min - t.length)}${t}`.slice(0, max);
    return t;
  };
  const arbitraries: fc.Arbitrary<string>[] = [anyText.map(fit)];
  if (max <= 20_000) arbitraries.push(fc.constantFrom('y', 'ü', '\u{1F600}').map((c) => fit(c.repeat(max))));
  return fc.oneof({ weight: 9, arbitrary: arbitraries[0]! }, ...(arbitraries[1] ? [{ weight: 1, arbitrary: arbitraries[1] }] : []));
}

const passphrase = fc
  .array(fc.constantFrom('kettle', 'lamp', 'river', 'orange', 'seven', 'quiet', 'bridge', 'Łódź', 'عصفور', '\u{1F511}'), {
    minLength: 3,
    maxLength: 6,
  })
  .map((w) => `${w.join(' ')} ${w.length}`)
  .filter((p) => p.length >= 12 && new Set(p).size >= 4);

const VALID_POSTCODES = ['B31 2QT', 'B1 1AA', 'SW1A 1AA', 'M1 1AE', 'EH1 2NG', 'cr2 6xh', 'B312QT'];

// ── the zod walk ──────────────────────────────────────────────────────────────────────────────────────

interface Def {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  format?: string;
  [key: string]: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function checksOf(def: Def): Record<string, unknown>[] {
  return (def.checks ?? []).map((c) => c._zod.def);
}

/** Field names whose meaning the schema cannot say: ids of things that exist, people's passphrases. */
function semantic(path: readonly (string | number)[]): fc.Arbitrary<unknown> | undefined {
  const name = path.at(-1);
  const parent = path.at(-2);
  if (name === 'caseId' || name === 'otherCaseId')
    return fc.oneof({ weight: 9, arbitrary: fromPool('case') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) });
  if (name === 'personId' || (typeof name === 'number' && parent === 'subjectIds'))
    return fc.oneof({ weight: 9, arbitrary: fromPool('person') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) });
  const live = (pool: PoolName) =>
    fc.oneof({ weight: 9, arbitrary: fromPool(pool) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) });
  if (name === 'meetingId' || name === 'toReviewAt') return live('meeting');
  if (name === 'agendaItemId' || (typeof name === 'number' && parent === 'agendaItemIds')) return live('agendaItem');
  if (name === 'attendeeId') return live('attendee');
  if (name === 'actionId') return live('action');
  if (name === 'enforcementId' || name === 'priorId') return live('enforcement');
  if (name === 'triggerId') return live('trigger');
  if (name === 'escalationId') return live('escalation');
  if (name === 'chairId' || name === 'minuteTakerId' || name === 'userId') return live('user');
  if (name === 'ownerOrganisationId' || (typeof name === 'number' && parent === 'invitedOrganisationIds'))
    return fc.oneof({ weight: 4, arbitrary: fromPool('organisation') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1000 }) });
  if (name === 'organisationId')
    return fc.oneof({ weight: 4, arbitrary: fromPool('organisation') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1000 }) });
  if (name === 'username') return fc.oneof(fromPool('username'), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{1,20}$/));
  if (name === 'currentPassphrase') return fc.oneof(fromPool('passphrase'), passphrase);
  if (name === 'passphrase' || name === 'newPassphrase') return passphrase;
  if (name === 'postcode')
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...VALID_POSTCODES) }, { weight: 1, arbitrary: boundedText(0, 10) });
  if (name === 'beforeSeq') return fc.integer({ min: 1, max: 5000 });
  if (name === 'agreementId')
    return fc.oneof({ weight: 9, arbitrary: fromPool('agreement') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) });
  if (name === 'basedOnVersion' || (name === 'version' && parent === undefined)) return fc.integer({ min: 1, max: 4 });
  // A signature that passes the drawing rules half the time, so signing is reached, not only refused.
  if (name === 'signature')
    return fc.oneof(
      fc.constant(drawn()),
      fc.constant(typed('Insp. Ruth Hale')),
      fc.constant(
        drawn([
          [
            { x: 1, y: 1 },
            { x: 2, y: 2 },
          ],
        ]),
      ),
    );
  return undefined;
}

function stringArbitrary(def: Def): fc.Arbitrary<string> {
  const checks = checksOf(def);
  const min = Math.max(0, ...checks.filter((c) => c.check === 'min_length').map((c) => Number(c.minimum)));
  const max = Math.min(100_000, ...checks.filter((c) => c.check === 'max_length').map((c) => Number(c.maximum)));
  const format = def.format ?? (checks.find((c) => c.check === 'string_format')?.format as string | undefined);
  if (format === 'date') {
    const today = new Date();
    return fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(today.getTime() - 86_400_000), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (format === 'datetime')
    return fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (format === 'regex') {
    const pattern = checks.find((c) => c.format === 'regex')?.pattern as RegExp;
    return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
  }
  if (format !== undefined) throw new Error(`no generator for string format ${format}`);
  return boundedText(min, Number.isFinite(max) ? max : 200);
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const integer = checks.some((c) => c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32'));
  let min = -1e9;
  let max = 1e9;
  for (const c of checks) {
    const value = Number(c.value);
    if (c.check === 'greater_than') min = Math.max(min, c.inclusive ? value : value + (integer ? 1 : Number.EPSILON));
    if (c.check === 'less_than') max = Math.min(max, c.inclusive ? value : value - (integer ? 1 : Number.EPSILON));
  }
  if (integer) {
    // Boundaries are where off-by-one errors live.
    return fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 200) }) },
      { weight: 1, arbitrary: fc.constantFrom(min, max) },
    );
  }
  return fc.double({ min, max, noNaN: true });
}

/** A valid value of `schema` (as far as its declared shape and limits go; refinements may still refuse it). */
export function arbitraryFor(schema: z.ZodType, path: (string | number)[] = []): fc.Arbitrary<unknown> {
  const special = semantic(path);
  if (special) return special;
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringArbitrary(def);
    case 'number':
      return numberArbitrary(def);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'null':
      return fc.constant(null);
    case 'nullable':
      return fc.oneof(
        { weight: 3, arbitrary: arbitraryFor(def.innerType as z.ZodType, path) },
        { weight: 1, arbitrary: fc.constant(null) },
      );
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return arbitraryFor(def.innerType as z.ZodType, path);
    case 'pipe':
      return arbitraryFor(def.in as z.ZodType, path);
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((o) => arbitraryFor(o, path)));
    case 'array': {
      const checks = checksOf(def);
      const minLength = Math.max(0, ...checks.filter((c) => c.check === 'min_length').map((c) => Number(c.minimum)));
      const maxLength = Math.max(minLength, Math.min(3, ...checks.filter((c) => c.check === 'max_length').map((c) => Number(c.maximum))));
      return fc.uniqueArray(arbitraryFor(def.element as z.ZodType, [...path, 0]), {
        minLength,
        maxLength,
        selector: (v) => JSON.stringify(v),
      });
    }
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const arbitraries: Record<string, fc.Arbitrary<unknown>> = {};
      const requiredKeys: string[] = [];
      for (const [key, field] of Object.entries(shape)) {
        arbitraries[key] = arbitraryFor(field, [...path, key]);
        const kind = defOf(field).type;
        if (kind !== 'optional' && kind !== 'default' && kind !== 'prefault') requiredKeys.push(key);
      }
      return fc.record(arbitraries, { requiredKeys });
    }
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    case 'unknown':
    case 'any':
      return fc.jsonValue({ maxDepth: 2 });
    default:
      throw new Error(
        `no generator for zod type ${def.type} at ${path.join('.') || 'the input'}: teach test/support/proving-arbitraries.ts`,
      );
  }
}

// ── resolving pool picks ──────────────────────────────────────────────────────────────────────────────

/** A copy of `value` with every pool pick replaced by a live value. Keys are copied as own properties. */
export function resolve(value: unknown, pools: Pools): unknown {
  if (value instanceof FromPool) {
    const pool = pools[value.pool];
    return pool.length === 0 ? value.index + 1 : pool[value.index % pool.length];
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, pools));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) defineOwn(out, key, resolve((value as Record<string, unknown>)[key], pools));
    return out;
  }
  return value;
}

/** Sets `key` as an own, enumerable property, even when it is `__proto__` (as JSON.parse would). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// ── malformed inputs ──────────────────────────────────────────────────────────────────────────────────

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export const pollution = (): unknown[] => [
  JSON.parse('{"__proto__": {"polluted": "yes", "closedOnly": false, "role": "manager"}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  { prototype: { polluted: 'yes' } },
  JSON.parse('{"__proto__": null}'),
];

/** Values no schema field expects: wrong types, extremes, huge and deep values, hostile text and objects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    true,
    false,
    0,
    -1,
    -0,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53 + 2,
    -(2 ** 63),
    1e308,
    5e-324,
    '',
    ' ',
    [],
    {},
    [[]],
    [null],
    new Date(0),
  ),
  fc.bigInt(),
  fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS),
  anyText,
  fc.constantFrom(10_001, 100_001, 1_000_001).chain((n) => fc.constantFrom('A', 'é', '\u{1F4A3}', '\uD800').map((c) => c.repeat(n))),
  fc.tuple(fc.integer({ min: 20, max: 3000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([d, k]) => nested(d, k)),
  fc.integer({ min: 0, max: 3 }).map((i) => pollution()[i]),
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withNullPrototype: true,
    withObjectString: true,
    withBoxedValues: true,
  }),
  fc.constant(Symbol('hostile')),
  fc.constant(() => 'a function'),
);

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'then',
  'closedOnly',
  'role',
  'session',
  '',
];

export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'text'; at: number; value: string }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'root'; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      at: fc.nat(),
      value: fc.oneof(fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS), anyText),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 }), fc.constant('k'.repeat(100_000))),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('root' as const), value: hostileValue }) },
);

type Slot = { parent: Record<string, unknown> | unknown[] | null; key: string | number; value: unknown };

/** Every value in `root` with where it sits; the root itself has no parent. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [{ parent: null, key: '', value: root }];
  const walk = (value: unknown) => {
    if (Array.isArray(value))
      value.forEach((v, i) => {
        out.push({ parent: value, key: i, value: v });
        walk(v);
      });
    else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        out.push({ parent: value as Record<string, unknown>, key, value: v });
        walk(v);
      }
    }
  };
  walk(root);
  return out;
}

function setAt(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else if (slot.parent) defineOwn(slot.parent, slot.key as string, value);
}

/** Applies `m` to a (resolved, private) copy of a valid input and returns the broken input. */
export function applyMutation(input: unknown, m: Mutation): unknown {
  if (m.kind === 'root') return m.value;
  const all = slots(input);
  if (m.kind === 'addKey') {
    const objects = all.filter((s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value));
    const target = objects[m.at % Math.max(1, objects.length)];
    if (!target) return m.value;
    defineOwn(target.value as Record<string, unknown>, m.key, m.value);
    return input;
  }
  if (m.kind === 'text') {
    const strings = all.filter((s) => typeof s.value === 'string');
    const target = strings[m.at % Math.max(1, strings.length)];
    if (!target) return input;
    if (!target.parent) return m.value;
    setAt(target, m.value);
    return input;
  }
  const target = all[m.at % all.length]!;
  if (!target.parent) return m.kind === 'drop' ? undefined : m.value;
  if (m.kind === 'drop') {
    if (Array.isArray(target.parent)) target.parent.splice(target.key as number, 1);
    else delete target.parent[target.key as string];
  } else {
    setAt(target, m.value);
  }
  return input;
}

/**
 * A justification for the call's meta: usually none or a plain one, sometimes hostile text. Always a
 * string: meta never crosses IPC or HTTP (only the CLI sets it, from a string option).
 */
export const metaArbitrary: fc.Arbitrary<{ justification?: string } | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constant({ justification: 'Fuzzing the contract for the proving ground' }) },
  { weight: 2, arbitrary: fc.record({ justification: anyText }) },
  { weight: 1, arbitrary: fc.record({ justification: fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS, ' ', 'j'.repeat(100_000)) }) },
);
