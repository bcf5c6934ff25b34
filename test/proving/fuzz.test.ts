// Hostile input: every operation in the contract, as every role, with inputs generated from the
// operation's own zod schema (valid ones, and valid ones broken in every way we could think of).
// Properties, checked after every single call:
//   - dispatch resolves (it never throws, and the process survives);
//   - a refusal is a typed {code, message[, field, details]} with a code from ERROR_CODES, never INTERNAL;
//   - a refused call changes nothing: every table but the audit log, and the key slots, hash the same,
//     and the entry it adds to the audit log stays small whatever the caller sent;
//   - a non-statutory member never receives anything closed-only (the marker, or a closedOnly flag);
//   - the session ends only when session.lock was asked for;
//   - the store keeps its two keys' shape (issue 15): the closed database is attached exactly for the roles
//     that hold its key, and no closed-only content is left unsealed in the open store (the digest a
//     refused call must not change covers the closed database's tables too).
// At the end: the database passes its integrity checks, the audit chain verifies against its checkpoint,
// and Object.prototype is as it was. The calls per operation are printed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dispatch, type CallMeta, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import { ERROR_CODES } from '../../src/contract/errors.js';
import { OPERATION_NAMES, operations, type OperationName } from '../../src/contract/operations.js';
import { ROLES, type Role } from '../../src/contract/operation.js';
import { containsClosedOnly } from '../../src/domain/access.js';
import { FromPool, applyMutation, arbitraryFor, metaArbitrary, mutation, resolve, type Pools } from '../support/proving-arbitraries.js';
import {
  actAs,
  call,
  CLOSED_MARKER,
  JUSTIFICATION,
  MANAGER,
  PERSONAS,
  provingStore,
  type PlantedMeetings,
  type ProvingStore,
} from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { expectAuditIntact, expectIntegrity, expectSealed, storeDigest } from '../support/proving-store.js';
import type { PlantedEnforcement } from '../services/enforcement-fixtures.js';
import { dbFile, keyFilePath } from '../vault/raw.js';

/** Live ids of the planted meetings, their agenda items, attendees and actions. */
function meetingPools(
  m: PlantedMeetings,
): Pick<Pools, 'meeting' | 'agendaItem' | 'attendee' | 'action'> & { [K in 'meeting' | 'agendaItem' | 'attendee' | 'action']: number[] } {
  return {
    meeting: [
      m.scheduled,
      m.reorder,
      m.ready,
      m.draft,
      m.toSubmit,
      ...Object.values(m.toReturn),
      ...Object.values(m.toApprove),
      m.approved,
      m.closed,
    ],
    agendaItem: [m.draftItem, m.approvedItem, m.removableItem, ...m.reorderItems],
    attendee: [m.expectedAttendee, m.presentAttendee],
    action: [m.reviewableAction],
  };
}

/** Live ids of the planted enforcement records, Community Triggers and escalations. */
function enforcementPools(e: PlantedEnforcement): { [K in 'enforcement' | 'trigger' | 'escalation']: number[] } {
  return {
    enforcement: [e.cpw, e.cpn, e.hidden],
    trigger: Object.values(e.triggers),
    escalation: [e.escalation],
  };
}

// Tuned so each role stays within a few minutes on two shared cores (54 operations); raise them to fuzz harder
// (PROVING_FUZZ_VALID=200 PROVING_FUZZ_MALFORMED=400 npx vitest run test/proving/fuzz.test.ts).
const VALID_RUNS = Number(process.env.PROVING_FUZZ_VALID ?? 8);
const MALFORMED_RUNS = Number(process.env.PROVING_FUZZ_MALFORMED ?? 14);
const FC = { endOnFailure: true } as const;

interface Tally {
  valid: number;
  malformed: number;
  ok: number;
  refused: Map<string, number>;
}
const tallies = new Map<string, Tally>(OPERATION_NAMES.map((n) => [n, { valid: 0, malformed: 0, ok: 0, refused: new Map() }]));

const prototypeNames = (o: object) => Object.getOwnPropertyNames(o).sort();
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
let prototypesBefore: string[][];
/** The every-operation-was-called check below holds only when every role's run finished (not under -t). */
let rolesCompleted = 0;

beforeAll(() => {
  prototypesBefore = PROTOTYPES.map(prototypeNames);
});

/** One store, fuzzed as one role: keeps the pools of live values and the digest of the last state. */
class Fuzzer {
  private passphrase: string;
  private digest = '';
  /** Responses that carried the marker: must be none for a non-statutory member, and some for the others. */
  markerSeen = 0;
  readonly pools: { [K in keyof Pools]: (string | number)[] };

  constructor(
    private readonly store: ProvingStore,
    private readonly role: Role,
  ) {
    this.passphrase = PERSONAS[role].passphrase;
    this.pools = {
      case: [store.openCase, store.closedCase],
      person: [store.openPerson, store.hiddenPerson],
      organisation: [store.organisations.police.id, store.organisations.charity.id],
      agreement: [store.agreements.signed, store.agreements.draft],
      username: Object.values(PERSONAS).map((u) => u.username),
      passphrase: [this.passphrase],
      ...meetingPools(store.meetings),
      ...enforcementPools(store.enforcement),
      user: [...store.userIds],
    };
  }

  get host() {
    return this.store.host;
  }

  async start(): Promise<void> {
    await actAs(this.host, this.role);
    // Fuzzed over a store whose closed-only content is sealed in its closed database.
    expect(await expectSealed(this.host, `${this.role} at the start`)).toBeGreaterThan(0);
    this.digest = await storeDigest(this.host);
  }

  /** One call and every property checked on it; a 'probe' is checked the same way but not counted. */
  async call(name: string, input: unknown, meta: CallMeta | undefined, kind: 'valid' | 'malformed' | 'probe'): Promise<void> {
    const result: DispatchResult = await dispatch(this.host, name, input, meta);
    const label = `${name} as ${this.role}`;
    if (kind !== 'probe') this.tally(name, kind, result);

    expect(typeof result.ok, label).toBe('boolean');
    if (!result.ok) {
      const { error } = result;
      expect(ERROR_CODES, `${label}: ${error.code}`).toContain(error.code);
      expect(error.code, `${label}: ${error.message}`).not.toBe('INTERNAL');
      expect(typeof error.message, label).toBe('string');
      expect(error.message.length, label).toBeGreaterThan(0);
      if (error.field !== undefined) expect(typeof error.field, label).toBe('string');
      expect(
        Object.keys(error).every((k) => ['code', 'message', 'field', 'details'].includes(k)),
        label,
      ).toBe(true);
    } else {
      expect(result, label).toHaveProperty('value');
    }

    if (JSON.stringify(result).includes(CLOSED_MARKER)) this.markerSeen += 1;
    if (this.role === 'non_statutory') {
      expect(JSON.stringify(result), label).not.toContain(CLOSED_MARKER);
      expect(containsClosedOnly(result), label).toBe(false);
    }

    if (result.ok) this.follow(name as OperationName, input as Record<string, unknown>, result.value as Record<string, unknown>);
    if (result.ok && name === 'session.lock') {
      expect(this.host.session, label).toBeNull();
      await actAs(this.host, this.role, this.passphrase);
    }
    expect(this.host.session?.user.role, `${label} ended the session`).toBe(this.role);
    await expectSealed(this.host, label);

    // The refusal's audit entry stays small whatever the caller sent: it is kept for ever.
    if (!result.ok && this.host.vault?.isUnlocked) {
      const entry = await this.host.vault.db.get<{ size: number }>(
        "SELECT length(details) + length(coalesce(justification, '')) + length(recipients) AS size FROM audit_log ORDER BY seq DESC LIMIT 1",
      );
      expect(entry!.size, `${label}: audit entry of a refusal`).toBeLessThan(4000);
    }

    const after = await storeDigest(this.host);
    if (!result.ok) expect(after, `${label} was refused (${result.error.code}) but changed the store`).toBe(this.digest);
    this.digest = after;
  }

  /** Keeps the pools live and tracks this user's passphrase when a call changed it. */
  private follow(name: OperationName, input: Record<string, unknown>, value: Record<string, unknown>): void {
    const id = (key: string) => (value[key] as { id?: number } | null | undefined)?.id;
    if (id('case') !== undefined) this.pools.case.push(id('case')!);
    if (id('person') !== undefined) this.pools.person.push(id('person')!);
    if (id('organisation') !== undefined) this.pools.organisation.push(id('organisation')!);
    if (id('meeting') !== undefined) this.pools.meeting.push(id('meeting')!);
    if (id('attendee') !== undefined) this.pools.attendee.push(id('attendee')!);
    if (id('action') !== undefined) this.pools.action.push(id('action')!);
    if (name === 'enforcement.record' && id('enforcement') !== undefined) this.pools.enforcement.push(id('enforcement')!);
    if (name === 'triggers.apply' && id('trigger') !== undefined) this.pools.trigger.push(id('trigger')!);
    if (name === 'escalations.refer' && id('escalation') !== undefined) this.pools.escalation.push(id('escalation')!);
    // addAgendaItem answers with the new agenda item; saveItem's `item` is minutes (no id of its own).
    if (name === 'meetings.addAgendaItem' && id('item') !== undefined) this.pools.agendaItem.push(id('item')!);
    if (id('agreement') !== undefined) this.pools.agreement.push(id('agreement')!);
    const user = value.user as { username?: string } | undefined;
    if (name === 'users.add' && user?.username) this.pools.username.push(user.username);
    const mine = PERSONAS[this.role].username;
    if (name === 'users.changePassphrase' || (name === 'users.resetPassphrase' && String(input.username).trim().toLowerCase() === mine)) {
      this.passphrase = input.newPassphrase as string;
      this.pools.passphrase = [this.passphrase];
    }
  }

  private tally(name: string, kind: 'valid' | 'malformed', result: DispatchResult): void {
    const t = tallies.get(name) ?? { valid: 0, malformed: 0, ok: 0, refused: new Map<string, number>() };
    tallies.set(name, t);
    t[kind] += 1;
    if (result.ok) t.ok += 1;
    else t.refused.set(result.error.code, (t.refused.get(result.error.code) ?? 0) + 1);
  }
}

describe('hostile input through the dispatcher', () => {
  it('the generators produce a schema-valid input for every operation (so "valid" means valid)', () => {
    const pools: Pools = {
      case: [1],
      person: [1],
      organisation: [1],
      agreement: [1],
      username: [MANAGER.username],
      passphrase: [MANAGER.passphrase],
      meeting: [1],
      agendaItem: [1],
      attendee: [1],
      action: [1],
      user: [1],
      enforcement: [1],
      trigger: [1],
      escalation: [1],
    };
    for (const name of OPERATION_NAMES) {
      const samples = fc.sample(arbitraryFor(operations[name].input), { numRuns: 30, seed: 7 });
      const parsed = samples.filter((s) => operations[name].input.safeParse(resolve(s, pools)).success).length;
      // Refinements the generator does not model (e.g. "give at least one field") may refuse some.
      expect(parsed, name).toBeGreaterThanOrEqual(10);
    }
    expect(JSON.stringify(new FromPool('case', 3))).toBe('"<case#3>"');
  });

  it('the digest sees a change to any row and to the key slots', async () => {
    const { host } = await provingStore(newHost());
    const first = await storeDigest(host);
    await call(host, 'organisations.add', { name: 'Fire and Rescue', statutory: true });
    const second = await storeDigest(host);
    expect(second).not.toBe(first);
    await call(host, 'store.rotateRecoveryKey');
    expect(await storeDigest(host)).not.toBe(second);
  });

  for (const role of ROLES) {
    it(`as ${role}: every operation, valid and malformed input, never crashes, leaks or half-changes`, async () => {
      const store = await provingStore(newHost());
      const fuzzer = new Fuzzer(store, role);
      await fuzzer.start();
      // No operation is skipped: session.lock re-unlocks (Fuzzer.call), store.init and session.unlock are
      // refused on an open store (CONFLICT) and must change nothing like any other refusal.
      for (const name of OPERATION_NAMES) {
        const valid = arbitraryFor(operations[name].input);
        await fc.assert(
          fc.asyncProperty(valid, metaArbitrary, async (raw, meta) => {
            await fuzzer.call(name, resolve(raw, fuzzer.pools), meta, 'valid');
          }),
          { ...FC, numRuns: VALID_RUNS },
        );
        await fc.assert(
          fc.asyncProperty(valid, mutation, metaArbitrary, async (raw, m, meta) => {
            await fuzzer.call(name, applyMutation(resolve(raw, fuzzer.pools), m), meta, 'malformed');
          }),
          { ...FC, numRuns: MALFORMED_RUNS },
        );
      }
      // Names that are not operations, including the ones every object inherits.
      const names = fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'cases.get ', 'CASES.GET'),
        fc.string({ maxLength: 40 }),
      );
      await fc.assert(
        fc.asyncProperty(names, async (name) => {
          fc.pre(!(OPERATION_NAMES as string[]).includes(name));
          const result = await dispatch(fuzzer.host, name, {});
          expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
        }),
        { ...FC, numRuns: 30 },
      );

      // The marker check can fail: the closed-only case, asked for by id through the same checks, does
      // carry it back to statutory partners and the manager (and is NOT_FOUND for a non-statutory member).
      // The manager's run may have switched agreement enforcement on (nobody has signed for the council).
      if (role === 'manager') await fuzzer.call('agreements.setEnforcement', { enabled: false }, undefined, 'probe');
      await fuzzer.call('cases.get', { caseId: store.closedCase }, { justification: JUSTIFICATION }, 'probe');
      if (role === 'non_statutory') expect(fuzzer.markerSeen).toBe(0);
      else expect(fuzzer.markerSeen).toBeGreaterThan(0);
      await expectIntegrity(store.host.vault!.db, role);
      await expectAuditIntact(store.host, role);
      if (role !== 'manager') await actAs(store.host, 'manager');
      expect(await call(store.host, 'audit.verify')).toMatchObject({ intact: true });
      rolesCompleted += 1;
    }, 600_000);
  }

  it('while locked, every operation that needs a session is refused LOCKED and no file changes', async () => {
    const store = await provingStore(newHost());
    const { host, dataDir } = store;
    await call(host, 'session.lock');
    const files = () => [readFileSync(dbFile(dataDir)), readFileSync(keyFilePath(dataDir))];
    const before = files();
    const pools: Pools = {
      case: [store.openCase],
      person: [store.openPerson],
      organisation: [store.organisations.police.id, store.organisations.charity.id],
      agreement: [store.agreements.signed, store.agreements.draft],
      username: [MANAGER.username],
      passphrase: ['x'],
      ...meetingPools(store.meetings),
      ...enforcementPools(store.enforcement),
      user: store.userIds,
    };
    // session.unlock is left out here, with reason: a wrong passphrase is meant to change the key file
    // (the failure counter that survives a restart); test/proving/brute-force.test.ts covers it.
    for (const name of OPERATION_NAMES.filter((n) => n !== 'session.unlock')) {
      // Public operations check their input before the session: a malformed one is VALIDATION even while locked.
      const publicRefusals: Partial<Record<OperationName, string[]>> = {
        'store.init': ['STORE_EXISTS', 'VALIDATION'],
        'backup.status': ['LOCKED', 'VALIDATION'],
        'minutes.exportStatus': ['LOCKED', 'VALIDATION'],
      };
      const expected = name === 'store.status' ? null : (publicRefusals[name] ?? ['LOCKED']);
      await fc.assert(
        fc.asyncProperty(arbitraryFor(operations[name].input), fc.option(mutation, { nil: undefined }), async (raw, m) => {
          const input = resolve(raw, pools);
          const result = await dispatch(host, name, m ? applyMutation(input, m) : input);
          if (expected === null) {
            if (result.ok) expect(result.value).toMatchObject({ state: 'locked', user: null });
            else expect(result.error.code).toBe('VALIDATION');
          } else {
            expect(result.ok, name).toBe(false);
            if (!result.ok) expect(expected, `${name}: ${result.error.code}`).toContain(result.error.code);
          }
        }),
        { ...FC, numRuns: 6 },
      );
    }
    expect(files()).toEqual(before);
  });
});

afterAll(() => {
  // Nothing any input carried (`__proto__`, `constructor.prototype`) reached the shared prototypes.
  expect(PROTOTYPES.map(prototypeNames)).toEqual(prototypesBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).closedOnly).toBeUndefined();

  const rows = OPERATION_NAMES.map((name) => {
    const t = tallies.get(name)!;
    const refused = [...t.refused.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    return `| ${name} | ${t.valid + t.malformed} | ${t.valid} | ${t.malformed} | ${t.ok} | ${refused} |`;
  });
  const total = [...tallies.values()].reduce((n, t) => n + t.valid + t.malformed, 0);
  console.log(
    [
      `fuzz: ${total} dispatched calls over ${OPERATION_NAMES.length} operations × ${ROLES.length} roles (valid ${VALID_RUNS}, malformed ${MALFORMED_RUNS} per operation per role)`,
      '| operation | calls | valid | malformed | ok | refused (code count) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
  if (rolesCompleted === ROLES.length)
    for (const name of OPERATION_NAMES) expect(tallies.get(name)!.valid + tallies.get(name)!.malformed, name).toBeGreaterThan(0);
});
