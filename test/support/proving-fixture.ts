// A store for the proving ground: one user per role (from the case tests' fixture), open data, and
// closed-meeting-only data carrying a marker that no non-statutory response may ever contain.
import type { Host } from '../../src/host/host.js';
import type { Role } from '../../src/contract/operation.js';
import { call } from './store.js';
import { JUSTIFICATION, USERS, actAs, caseInput, casesStore, createPerson } from '../services/fixtures.js';
import { plantEnforcement, type PlantedEnforcement } from '../services/enforcement-fixtures.js';
import { plantMeetings, type PlantedMeetings } from '../services/meetings-fixtures.js';

export const CLOSED_MARKER = 'Quillaverrine';

export interface ProvingStore {
  host: Host;
  dataDir: string;
  recoveryKey: string;
  ids: {
    organisations: number[];
    openPerson: number;
    hiddenPerson: number;
    openCase: number;
    closedCase: number;
    users: number[];
    meetings: PlantedMeetings;
    enforcement: PlantedEnforcement;
  };
}

/** Set up by the manager; the marker is in every field of the closed-only case and person, and in a closed-only note. */
export async function provingStore(): Promise<ProvingStore> {
  const { host, dataDir, recoveryKey, organisations } = await casesStore();
  const M = CLOSED_MARKER;
  const openPerson = await createPerson(host);
  const hiddenPerson = await createPerson(host, {
    givenName: `Kit ${M}`, familyName: `${M}son`, aliases: [`${M} alias`], dateOfBirth: '1999-09-09',
    addresses: [{ line1: `1 ${M} Street`, postcode: 'B1 1AA' }], identifiers: [{ scheme: 'police', value: `${M}-REF` }],
    contacts: [{ kind: 'email', value: `${M.toLowerCase()}@example.org` }], household: [{ name: `${M} junior`, relationship: 'child', dateOfBirth: null }],
  });
  const openCase = (await call(host, 'cases.create', caseInput([openPerson]))).case.id;
  const closedCase = (await call(host, 'cases.create', caseInput([hiddenPerson], {
    closedOnly: true, area: `${M}ville`, summary: `${M} summary`,
    referral: { organisation: `${M} PPU`, officer: `DS ${M}`, date: '2025-01-01', reason: `${M} reason`, consent: 'not_required' },
    risk: { personalHarm: 'high', communityHarm: 'high', environmentalHarm: 'high', vulnerabilityFactors: [`${M} factor`], reasons: `${M} risk` },
    locations: [{ label: `${M} flats`, address: `${M} Road` }], alreadySupported: { service: `${M} CAMHS`, decision: 'discuss' },
  }))).case.id;
  await call(host, 'cases.addNote', { caseId: openCase, body: 'Open note about the parade.' });
  await call(host, 'cases.addNote', { caseId: openCase, body: `${M}: PPU intelligence, closed meeting only.`, closedOnly: true });
  await call(host, 'cases.addNote', { caseId: closedCase, body: `${M} note on a closed case` });
  await call(host, 'cases.link', { caseId: openCase, otherCaseId: closedCase, reason: `${M} link reason` });
  const spareCase = (await call(host, 'cases.create', caseInput([openPerson], { area: 'Kings Norton' }))).case.id;
  const meetings = await plantMeetings(host, M, { openCase, spareCase, closedCase });
  const enforcement = await plantEnforcement(host, M, { openCase, closedCase, organisationId: organisations.police.id });
  const users = (await call(host, 'users.list', {})).users.map((u) => u.id);
  return {
    host, dataDir, recoveryKey,
    ids: { organisations: [organisations.police.id, organisations.charity.id], openPerson, hiddenPerson, openCase, closedCase, users, meetings, enforcement },
  };
}

/** Unlocks as `role` with `passphrase` (which the fuzz may have changed) and sets the working context. */
export async function unlockAs(host: Host, role: Role, passphrase: string): Promise<void> {
  if (host.session) await call(host, 'session.lock');
  await call(host, 'session.unlock', { username: USERS[role].username, passphrase });
  await call(host, 'session.setJustification', { justification: JUSTIFICATION });
}

export { USERS, JUSTIFICATION, actAs };
