// Bad input for every case and people operation: a typed error naming the field, and not one row of the
// case tables changed (the refusal itself is logged, in the audit log, which is not compared here).
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { OperationName } from '../../src/contract/operations.js';
import { caseOperations } from '../../src/contract/ops/cases.js';
import { peopleOperations } from '../../src/contract/ops/people.js';
import { erasureOperations } from '../../src/contract/ops/erasure.js';
import { addDays, localToday } from '../../src/domain/risk.js';
import { call, caseInput, createCase, createPerson, partnershipStore, personInput } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { caseTablesDigest } from '../support/proving-store.js';

type Expect = { code: 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT'; field?: string | undefined };
type Case = [label: string, input: (ids: Ids) => unknown, expected: Expect];
interface Ids {
  person: number;
  case: number;
  other: number;
}

const V = (field?: string): Expect => ({ code: 'VALIDATION', field });
const NF = (field: string): Expect => ({ code: 'NOT_FOUND', field });
const UNKNOWN = 999_999;
const tomorrow = addDays(localToday(), 1);
const long = (n: number) => 'x'.repeat(n);
const notObjects: Case[] = [
  ['a string for input', () => 'cases', V()],
  ['an array for input', () => [1], V()],
  ['a number for input', () => 7, V()],
];

const person = (o: Record<string, unknown>) => ({ ...personInput(), ...o });
const kase = (ids: Ids, o: Record<string, unknown>) => ({ ...caseInput([ids.person]), ...o });
const referral = caseInput([1]).referral;
const risk = caseInput([1]).risk;

const TABLE: Record<string, Case[]> = {
  'people.create': [
    [
      'missing given name',
      () => {
        const { givenName: _, ...rest } = personInput();
        return rest;
      },
      V('givenName'),
    ],
    ['given name a number', () => person({ givenName: 42 }), V('givenName')],
    ['given name blank', () => person({ givenName: '   ' }), V('givenName')],
    ['family name too long', () => person({ familyName: long(101) }), V('familyName')],
    ['alias list not a list', () => person({ aliases: 'JJ' }), V('aliases')],
    ['too many aliases', () => person({ aliases: Array.from({ length: 21 }, (_, i) => `a${i}`) }), V('aliases')],
    ['impossible date of birth', () => person({ dateOfBirth: '2008-02-30' }), V('dateOfBirth')],
    ['date of birth in another format', () => person({ dateOfBirth: '17/04/2008' }), V('dateOfBirth')],
    ['date of birth tomorrow', () => person({ dateOfBirth: tomorrow }), V('dateOfBirth')],
    ['date of birth before 1900', () => person({ dateOfBirth: '1850-01-01' }), V('dateOfBirth')],
    ['unknown gender', () => person({ gender: 'robot' }), V('gender')],
    ['bad postcode', () => person({ addresses: [{ line1: '1 High St', postcode: 'NOT A CODE' }] }), V('addresses.0.postcode')],
    ['address without first line', () => person({ addresses: [{ postcode: 'B31 2QT' }] }), V('addresses.0.line1')],
    ['unknown identifier scheme', () => person({ identifiers: [{ scheme: 'passport', value: '123' }] }), V('identifiers.0.scheme')],
    ['empty contact', () => person({ contacts: [{ kind: 'phone', value: '' }] }), V('contacts.0.value')],
    [
      'household date of birth not a date',
      () => person({ household: [{ name: 'Kid', relationship: 'child', dateOfBirth: 'last year' }] }),
      V('household.0.dateOfBirth'),
    ],
    ['confirm flag not a boolean', () => person({ createDespiteDuplicates: 'yes' }), V('createDespiteDuplicates')],
    ['unknown field', () => person({ nickname: 'JJ' }), V('nickname')],
    ...notObjects,
  ],
  'people.get': [
    ['missing id', () => ({}), V('personId')],
    ['id a string', () => ({ personId: '1' }), V('personId')],
    ['id zero', () => ({ personId: 0 }), V('personId')],
    ['id a fraction', () => ({ personId: 1.5 }), V('personId')],
    ['unknown id', () => ({ personId: UNKNOWN }), NF('personId')],
    ...notObjects,
  ],
  'people.update': [
    ['unknown id', () => ({ personId: UNKNOWN, givenName: 'A' }), NF('personId')],
    ['nothing to change', (ids) => ({ personId: ids.person }), V()],
    ['blank name', (ids) => ({ personId: ids.person, givenName: '' }), V('givenName')],
    ['impossible date', (ids) => ({ personId: ids.person, dateOfBirth: '2001-13-01' }), V('dateOfBirth')],
    ['oversize alias', (ids) => ({ personId: ids.person, aliases: [long(101)] }), V('aliases.0')],
    [
      'bad postcode',
      (ids) => ({ personId: ids.person, addresses: [{ line1: '1 High St', postcode: '12345' }] }),
      V('addresses.0.postcode'),
    ],
    ['unknown field', (ids) => ({ personId: ids.person, status: 'active' }), V('status')],
    ...notObjects,
  ],
  'cases.create': [
    ['no subjects', (ids) => kase(ids, { subjectIds: [] }), V('subjectIds')],
    ['unknown subject', (ids) => kase(ids, { subjectIds: [ids.person, UNKNOWN] }), NF('subjectIds.1')],
    ['subject id a string', (ids) => kase(ids, { subjectIds: ['1'] }), V('subjectIds.0')],
    ['same subject twice', (ids) => kase(ids, { subjectIds: [ids.person, ids.person] }), V('subjectIds')],
    [
      'missing area',
      (ids) => {
        const { area: _, ...rest } = kase(ids, {});
        return rest;
      },
      V('area'),
    ],
    ['area too long', (ids) => kase(ids, { area: long(101) }), V('area')],
    ['summary too long', (ids) => kase(ids, { summary: long(4001) }), V('summary')],
    ['impossible referral date', (ids) => kase(ids, { referral: { ...referral, date: '2025-13-01' } }), V('referral.date')],
    ['referral date tomorrow', (ids) => kase(ids, { referral: { ...referral, date: tomorrow } }), V('referral.date')],
    ['unknown consent position', (ids) => kase(ids, { referral: { ...referral, consent: 'maybe' } }), V('referral.consent')],
    ['referral reason missing', (ids) => kase(ids, { referral: { ...referral, reason: undefined } }), V('referral.reason')],
    ['no concerns', (ids) => kase(ids, { concerns: [] }), V('concerns')],
    ['unknown concern', (ids) => kase(ids, { concerns: ['aliens'] }), V('concerns.0')],
    ['unknown harm level', (ids) => kase(ids, { risk: { ...risk, personalHarm: 'extreme' } }), V('risk.personalHarm')],
    ['missing harm', (ids) => kase(ids, { risk: { ...risk, communityHarm: undefined } }), V('risk.communityHarm')],
    ['assessment on a day that never was', (ids) => kase(ids, { risk: { ...risk, assessedOn: '2025-02-29' } }), V('risk.assessedOn')],
    ['bad location postcode', (ids) => kase(ids, { locations: [{ label: 'Park', postcode: 'B99' }] }), V('locations.0.postcode')],
    ['support without a decision', (ids) => kase(ids, { alreadySupported: { service: 'CAMHS' } }), V('alreadySupported.decision')],
    ['closed-only not a boolean', (ids) => kase(ids, { closedOnly: 'yes' }), V('closedOnly')],
    ['status set directly', (ids) => kase(ids, { status: 'active' }), V('status')],
    ...notObjects,
  ],
  'cases.get': [
    ['missing id', () => ({}), V('caseId')],
    ['id a string', () => ({ caseId: 'LCSP-2026-0001' }), V('caseId')],
    ['negative id', () => ({ caseId: -3 }), V('caseId')],
    ['unknown id', () => ({ caseId: UNKNOWN }), NF('caseId')],
    ...notObjects,
  ],
  'cases.update': [
    ['unknown id', () => ({ caseId: UNKNOWN, area: 'Northfield' }), NF('caseId')],
    ['nothing to change', (ids) => ({ caseId: ids.case }), V()],
    ['unknown subject', (ids) => ({ caseId: ids.case, subjectIds: [UNKNOWN] }), NF('subjectIds.0')],
    ['unknown concern', (ids) => ({ caseId: ids.case, concerns: ['weather'] }), V('concerns.0')],
    [
      'risk missing a harm',
      (ids) => ({ caseId: ids.case, risk: { personalHarm: 'low', communityHarm: 'low' } }),
      V('risk.environmentalHarm'),
    ],
    [
      'oversize vulnerability factor',
      (ids) => ({ caseId: ids.case, risk: { ...risk, vulnerabilityFactors: [long(201)] } }),
      V('risk.vulnerabilityFactors.0'),
    ],
    ['referral date not a date', (ids) => ({ caseId: ids.case, referral: { ...referral, date: 'soon' } }), V('referral.date')],
    ['status changed here', (ids) => ({ caseId: ids.case, status: 'closed' }), V('status')],
    ...notObjects,
  ],
  'cases.transition': [
    ['unknown case', () => ({ caseId: UNKNOWN, to: 'accepted', reason: 'ok' }), NF('caseId')],
    ['unknown status', (ids) => ({ caseId: ids.case, to: 'reopened', reason: 'ok' }), V('to')],
    ['missing status', (ids) => ({ caseId: ids.case, reason: 'ok' }), V('to')],
    ['missing reason', (ids) => ({ caseId: ids.case, to: 'accepted' }), V('reason')],
    ['reason too long', (ids) => ({ caseId: ids.case, to: 'accepted', reason: long(2001) }), V('reason')],
    ['unknown outcome', (ids) => ({ caseId: ids.case, to: 'accepted', reason: 'ok', outcome: 'fixed' }), V('outcome')],
    ...notObjects,
  ],
  'cases.addNote': [
    ['unknown case', () => ({ caseId: UNKNOWN, body: 'note' }), NF('caseId')],
    ['empty body', (ids) => ({ caseId: ids.case, body: '' }), V('body')],
    ['body too long', (ids) => ({ caseId: ids.case, body: long(20_001) }), V('body')],
    ['body not text', (ids) => ({ caseId: ids.case, body: { text: 'hi' } }), V('body')],
    ['unknown classification', (ids) => ({ caseId: ids.case, body: 'note', classification: 'secret' }), V('classification')],
    ['closed-only a number', (ids) => ({ caseId: ids.case, body: 'note', closedOnly: 1 }), V('closedOnly')],
    ['author given', (ids) => ({ caseId: ids.case, body: 'note', author: 'someone else' }), V('author')],
    ...notObjects,
  ],
  'cases.releaseReview': [
    ['missing id', () => ({}), V('caseId')],
    ['id a string', () => ({ caseId: 'LCSP-2026-0001' }), V('caseId')],
    ['unknown id', () => ({ caseId: UNKNOWN }), NF('caseId')],
    ...notObjects,
  ],
  'cases.releaseClosedOnly': [
    ['missing reason', (ids) => ({ caseId: ids.case, decisions: [] }), V('reason')],
    ['blank reason', (ids) => ({ caseId: ids.case, reason: '   ', decisions: [] }), V('reason')],
    [
      'a decision of an unknown kind',
      (ids) => ({ caseId: ids.case, reason: 'Agreed at the open meeting', decisions: [{ kind: 'weather', id: 1, release: true }] }),
      V('decisions.0.kind'),
    ],
    [
      'release not a boolean',
      (ids) => ({ caseId: ids.case, reason: 'Agreed at the open meeting', decisions: [{ kind: 'note', id: 1, release: 'yes' }] }),
      V('decisions.0.release'),
    ],
    ['unknown id', () => ({ caseId: UNKNOWN, reason: 'Agreed at the open meeting', decisions: [] }), NF('caseId')],
    ...notObjects,
  ],
  'cases.link': [
    ['unknown case', (ids) => ({ caseId: UNKNOWN, otherCaseId: ids.case, reason: 'r' }), NF('caseId')],
    ['unknown other case', (ids) => ({ caseId: ids.case, otherCaseId: UNKNOWN, reason: 'r' }), NF('otherCaseId')],
    ['linked to itself', (ids) => ({ caseId: ids.case, otherCaseId: ids.case, reason: 'r' }), V('otherCaseId')],
    [
      'already linked',
      (ids) => ({ caseId: ids.other, otherCaseId: ids.case, reason: 'again' }),
      { code: 'CONFLICT', field: 'otherCaseId' },
    ],
    ['missing reason', (ids) => ({ caseId: ids.case, otherCaseId: ids.other }), V('reason')],
    ['reason too long', (ids) => ({ caseId: ids.case, otherCaseId: ids.other, reason: long(501) }), V('reason')],
    ...notObjects,
  ],
  'cases.search': [
    ['missing query', () => ({}), V('query')],
    ['blank query', () => ({ query: '  ' }), V('query')],
    ['query too long', () => ({ query: long(201) }), V('query')],
    ['query a number', () => ({ query: 42 }), V('query')],
    ['unknown status', () => ({ query: 'a', status: ['open'] }), V('status.0')],
    ['status not a list', () => ({ query: 'a', status: 'active' }), V('status')],
    ['unknown risk', () => ({ query: 'a', risk: ['severe'] }), V('risk.0')],
    ['blank area', () => ({ query: 'a', area: '' }), V('area')],
    ['unknown concern', () => ({ query: 'a', concern: 'weather' }), V('concern')],
    ['overdue not a boolean', () => ({ query: 'a', reviewOverdue: 'yes' }), V('reviewOverdue')],
    ['unknown sort', () => ({ query: 'a', sort: 'name' }), V('sort')],
    ['unknown direction', () => ({ query: 'a', direction: 'up' }), V('direction')],
    ['page too big', () => ({ query: 'a', limit: 101 }), V('limit')],
    ['page empty', () => ({ query: 'a', limit: 0 }), V('limit')],
    ['negative offset', () => ({ query: 'a', offset: -1 }), V('offset')],
    ...notObjects,
  ],
  'cases.list': [
    ['text query', () => ({ query: 'Ellis' }), V('query')],
    ['unknown status', () => ({ status: ['open'] }), V('status.0')],
    ['empty status list', () => ({ status: [] }), V('status')],
    ['unknown risk', () => ({ risk: 'high' }), V('risk')],
    ['area too long', () => ({ area: long(101) }), V('area')],
    ['unknown concern', () => ({ concern: 'weather' }), V('concern')],
    ['overdue not a boolean', () => ({ reviewOverdue: 1 }), V('reviewOverdue')],
    ['relevance without a query', () => ({ sort: 'relevance' }), V('sort')],
    ['fractional limit', () => ({ limit: 2.5 }), V('limit')],
    ['offset a string', () => ({ offset: '10' }), V('offset')],
    ...notObjects,
  ],
  'concerns.list': [['unknown field', () => ({ all: true }), V('all')], ...notObjects],
  'people.subjectAccess': [
    ['missing id', () => ({ recipients: ['The data subject'], justification: 'SAR-1' }), V('personId')],
    ['unknown id', () => ({ personId: UNKNOWN, recipients: ['The data subject'], justification: 'SAR-1' }), NF('personId')],
    ['no recipients', (ids) => ({ personId: ids.person, recipients: [], justification: 'SAR-1' }), V('recipients')],
    ['blank justification', (ids) => ({ personId: ids.person, recipients: ['The data subject'], justification: ' ' }), V('justification')],
    [
      'closed-only flag not a boolean',
      (ids) => ({ personId: ids.person, recipients: ['The data subject'], justification: 'SAR-1', includeClosedOnly: 'yes' }),
      V('includeClosedOnly'),
    ],
    [
      'unknown field',
      (ids) => ({ personId: ids.person, recipients: ['The data subject'], justification: 'SAR-1', format: 'xml' }),
      V('format'),
    ],
    ...notObjects,
  ],
  'people.erasurePreview': [
    ['missing id', () => ({}), V('personId')],
    ['unknown id', () => ({ personId: UNKNOWN }), NF('personId')],
    ...notObjects,
  ],
  'people.erase': [
    ['missing reason', (ids) => ({ personId: ids.person, confirmation: 'Jordan Ellis' }), V('reason')],
    ['blank reason', (ids) => ({ personId: ids.person, reason: '  ', confirmation: 'Jordan Ellis' }), V('reason')],
    ['reason too long', (ids) => ({ personId: ids.person, reason: long(501), confirmation: 'Jordan Ellis' }), V('reason')],
    ['missing confirmation', (ids) => ({ personId: ids.person, reason: 'Retention' }), V('confirmation')],
    ['confirmation not the name', (ids) => ({ personId: ids.person, reason: 'Retention', confirmation: 'Jordan' }), V('confirmation')],
    ['unknown id', () => ({ personId: UNKNOWN, reason: 'Retention', confirmation: 'Jordan Ellis' }), NF('personId')],
    ...notObjects,
  ],
  'cases.erasurePreview': [
    ['id a string', () => ({ caseId: 'LCSP-2026-0001' }), V('caseId')],
    ['unknown id', () => ({ caseId: UNKNOWN }), NF('caseId')],
    ...notObjects,
  ],
  'cases.erase': [
    ['missing reason', (ids) => ({ caseId: ids.case, confirmation: 'LCSP-2026-0001' }), V('reason')],
    ['missing confirmation', (ids) => ({ caseId: ids.case, reason: 'Retention' }), V('confirmation')],
    [
      'confirmation another reference',
      (ids) => ({ caseId: ids.case, reason: 'Retention', confirmation: 'LCSP-1999-0001' }),
      V('confirmation'),
    ],
    ['unknown id', () => ({ caseId: UNKNOWN, reason: 'Retention', confirmation: 'LCSP-2026-0001' }), NF('caseId')],
    ['unknown field', (ids) => ({ caseId: ids.case, reason: 'Retention', confirmation: 'LCSP-2026-0001', force: true }), V('force')],
    ...notObjects,
  ],
};

describe('bad input to case and people operations', () => {
  it('covers every case and people operation', () => {
    expect(Object.keys(TABLE).sort()).toEqual(
      [...Object.keys(peopleOperations), ...Object.keys(caseOperations), ...Object.keys(erasureOperations)].sort(),
    );
  });

  for (const [name, cases] of Object.entries(TABLE)) {
    it(`${name}: ${cases.length} bad inputs are refused with the field named, changing nothing`, async () => {
      const { host } = await partnershipStore(newHost());
      const personId = await createPerson(host);
      const ids: Ids = { person: personId, case: await createCase(host, [personId]), other: await createCase(host, [personId]) };
      await call(host, 'cases.link', { caseId: ids.case, otherCaseId: ids.other, reason: 'Same household' });
      const before = await caseTablesDigest(host);
      for (const [label, input, expected] of cases) {
        const result = await dispatch(host, name as OperationName, input(ids));
        expect(result, `${name}: ${label}`).toMatchObject({ ok: false, error: { code: expected.code } });
        if (!result.ok) {
          expect(result.error.field, `${name}: ${label}: ${result.error.message}`).toBe(expected.field);
          expect(result.error.message.length, `${name}: ${label}`).toBeGreaterThan(0);
        }
        expect(await caseTablesDigest(host), `${name}: ${label} changed the store`).toBe(before);
      }
      // The digest does see a change when there is one.
      await call(host, 'people.update', { personId, aliases: ['Jay'] });
      expect(await caseTablesDigest(host)).not.toBe(before);
    });
  }
});
