// The subject access pack's redaction, without a store: a third party sharing the data subject's family
// name is still taken out by their full name, the subject's own phone number stays where a stranger's
// goes, household members are third parties, and the profile is the subject's own and never scanned.
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/contract/ops/people.js';
import { buildSubjectAccessPack } from '../../src/export/subject-access-model.js';
import type { SubjectAccessData } from '../../src/store/subject-access.js';

const person = (id: number, o: Partial<Person>): Person => ({
  id,
  givenName: '',
  familyName: '',
  aliases: [],
  dateOfBirth: null,
  gender: null,
  addresses: [],
  contacts: [],
  identifiers: [],
  household: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...o,
});

const subject = person(1, {
  givenName: 'Alice',
  familyName: 'Smith',
  contacts: [{ kind: 'phone', value: '07700 900111' }],
  household: [{ name: 'Carol Smith', relationship: 'child', dateOfBirth: '2015-05-05' }],
});
const brother = person(2, { givenName: 'Bob', familyName: 'Smith', dateOfBirth: '1985-03-04' });

function packFor(noteBody: string) {
  const data: SubjectAccessData = {
    person: subject,
    cases: [
      {
        id: 9,
        reference: 'LCSP-2026-0009',
        area: 'Northfield',
        summary: 'Family dispute.',
        referral: { organisation: 'Police', officer: 'PC Jones', date: '2026-01-01', reason: 'Reports.', consent: 'not_required' },
        concerns: [],
        risk: {
          personalHarm: 'low',
          communityHarm: 'low',
          environmentalHarm: 'low',
          overall: 'low',
          vulnerabilityFactors: [],
          reasons: '',
          assessedBy: { id: 1, displayName: 'Alex Manager' },
          assessedOn: '2026-01-01',
        },
        reviewDate: '2026-06-01',
        reviewOverdue: false,
        status: 'active',
        outcome: null,
        allowedTransitions: [],
        alreadySupported: null,
        closedOnly: false,
        subjects: [subject, brother],
        locations: [],
        links: [],
        notes: [
          {
            id: 1,
            caseId: 9,
            author: { id: 1, displayName: 'Alex Manager' },
            at: '2026-02-01T10:00:00.000Z',
            classification: 'free_text',
            closedOnly: false,
            body: noteBody,
          },
        ],
        transitions: [],
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: { id: 1, displayName: 'Alex Manager' },
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    ],
    discussedAt: [],
    actions: [],
    enforcement: [],
    escalations: [],
    auditEntries: [],
    mentions: [],
    otherCaseReferences: [],
    thirdParties: [brother],
  };
  const pack = buildSubjectAccessPack({
    data,
    recipients: ['Alice Smith'],
    justification: 'SAR-1',
    organisation: 'Northfield CSP',
    exportedAt: '2026-03-01T00:00:00.000Z',
    auditHead: '1:ab',
    closedOnlyIncluded: false,
  });
  const parsed = JSON.parse(pack.json) as { cases: { notes: { body: string }[]; subjects: string[] }[]; household: unknown[] };
  return { pack, parsed, note: parsed.cases[0]!.notes[0]!.body };
}

describe('subject access redaction', () => {
  it("keeps the subject's own identifiers and takes out everyone else's", () => {
    const { note, parsed, pack } = packFor(
      'Alice Smith rang from 07700 900111. Bob Smith (born 04/03/1985) called from 07700 900222. Carol Smith was at school.',
    );
    expect(note).toContain('Alice Smith rang from 07700 900111');
    expect(note).toContain('[third party 1]');
    expect(note).not.toMatch(/Bob|1985|900222|Carol/);
    expect(parsed.cases[0]!.subjects).toEqual(['Alice Smith (the data subject)', 'third party 1']);
    // The household: relationships kept, names and dates of birth gone, from the JSON as from the PDF.
    expect(JSON.stringify(parsed.household)).not.toMatch(/Carol|2015/);
    expect(pack.json).not.toMatch(/Carol|Bob|1985-03-04|2015-05-05/);
    expect(JSON.stringify(pack.document)).not.toMatch(/Carol|Bob|1985|2015-05-05/);
    expect(pack.thirdParties).toBe(2);
    expect(pack.redactions).toBe(4);
  });

  it('a redaction-free note passes unchanged, and a stranger found only by pattern still goes', () => {
    expect(packFor('Visited; all well.').note).toBe('Visited; all well.');
    expect(packFor('A caller on 0121 496 0000 complained.').note).not.toContain('496');
  });
});
