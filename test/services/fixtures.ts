// A case store with one user per role, and sample people and cases, for the case tests.
import { createHash } from 'node:crypto';
import type { Host } from '../../src/host/host.js';
import type { Role } from '../../src/contract/operation.js';
import type { InputOf } from '../../src/contract/operations.js';
import { call, initialisedStore, MANAGER } from '../support/store.js';

export const JUSTIFICATION = 'Preparing for the 3 Dec People meeting';

export const USERS: Record<Role, { username: string; passphrase: string }> = {
  manager: { username: MANAGER.username, passphrase: MANAGER.passphrase },
  statutory: { username: 'pc.jones', passphrase: 'blue lamp evening shift' },
  non_statutory: { username: 'sam.charity', passphrase: 'kettle on for the volunteers' },
};

/** A store with a manager, a statutory and a non-statutory user, unlocked as the manager with a working context. */
export async function casesStore() {
  const store = await initialisedStore();
  const { host } = store;
  const police = await call(host, 'organisations.add', { name: 'West Midlands Police', statutory: true });
  const charity = await call(host, 'organisations.add', { name: 'Northfield Residents Trust', statutory: false });
  await call(host, 'users.add', { username: USERS.statutory.username, displayName: 'PC Jones', role: 'statutory', organisationId: police.organisation.id, passphrase: USERS.statutory.passphrase });
  await call(host, 'users.add', { username: USERS.non_statutory.username, displayName: 'Sam Charity', role: 'non_statutory', organisationId: charity.organisation.id, passphrase: USERS.non_statutory.passphrase });
  await call(host, 'session.setJustification', { justification: JUSTIFICATION });
  return { ...store, organisations: { police: police.organisation, charity: charity.organisation } };
}

/** Locks and unlocks again as the user with `role`, setting the working context. */
export async function actAs(host: Host, role: Role): Promise<void> {
  if (host.session?.user.role === role) return;
  if (host.session) await call(host, 'session.lock');
  await call(host, 'session.unlock', USERS[role]);
  await call(host, 'session.setJustification', { justification: JUSTIFICATION });
}

export function personInput(overrides: Partial<InputOf<'people.create'>> = {}): InputOf<'people.create'> {
  return {
    givenName: 'Jordan', familyName: 'Ellis', aliases: ['JJ'], dateOfBirth: '2008-04-17', gender: 'male',
    addresses: [{ line1: '14 Lime Grove', town: 'Northfield', postcode: 'B31 2QT', ward: 'Northfield' }],
    contacts: [{ kind: 'phone', value: '07700 900123' }],
    identifiers: [{ scheme: 'police', value: 'WMP/2025/118842' }],
    household: [{ name: 'Dana Ellis', relationship: 'parent', dateOfBirth: '1982-01-09' }],
    ...overrides,
  };
}

export function caseInput(subjectIds: number[], overrides: Partial<InputOf<'cases.create'>> = {}): InputOf<'cases.create'> {
  return {
    subjectIds,
    area: 'Northfield',
    summary: 'Groups gathering at the shops after dark.',
    referral: { organisation: 'West Midlands Police', officer: 'PC Jones', date: '2025-10-01', reason: 'Repeated reports of intimidation at the parade.', consent: 'not_required' },
    concerns: ['youth_offending', 'exploitation_risk'],
    risk: { personalHarm: 'high', communityHarm: 'medium', environmentalHarm: 'low', vulnerabilityFactors: ['Missing from home episodes'], reasons: 'Seen with older males.' },
    locations: [{ label: 'Parade shops', address: '1-20 The Parade', postcode: 'B31 2AA', ward: 'Northfield' }],
    ...overrides,
  };
}

export async function createPerson(host: Host, overrides: Partial<InputOf<'people.create'>> = {}): Promise<number> {
  const { person } = await call(host, 'people.create', { ...personInput(overrides), createDespiteDuplicates: true });
  return person!.id;
}

export async function createCase(host: Host, subjectIds: number[], overrides: Partial<InputOf<'cases.create'>> = {}): Promise<number> {
  const { case: created } = await call(host, 'cases.create', caseInput(subjectIds, overrides));
  return created.id;
}

export const CASE_TABLES = [
  'people', 'person_aliases', 'person_addresses', 'person_identifiers', 'cases', 'case_concerns', 'case_subjects', 'case_links',
  'case_locations', 'case_notes', 'case_transitions', 'people_fts', 'cases_fts', 'notes_fts',
] as const;

/** A SHA-256 over every row of every case table (and the search indexes), to prove a refused call changed nothing. */
export async function caseTablesDigest(host: Host): Promise<string> {
  const db = host.vault!.db;
  const hash = createHash('sha256');
  for (const table of CASE_TABLES) {
    const rows = await db.all(`SELECT rowid AS _rowid, * FROM ${table} ORDER BY 1`).catch(async () => db.all(`SELECT * FROM ${table} ORDER BY 1, 2`));
    hash.update(`${table}:${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}
