// A subject access pack: everything held about one person, as a document for the PDF writer and as
// JSON, with other people's identifiers taken out by the minutes redactor. The data subject's own
// identifiers stay; everyone else the records touch (co-subjects, household members, subjects of linked
// cases and of the same meetings) is known to the redactor under a label, and its pattern rules (phone
// numbers, e-mail addresses, postcodes…) take out what belongs to no known person unless it is the data
// subject's own. Every string of the records passes through it; the profile is the subject's own.
import type { Person } from '../contract/ops/people.js';
import { ENFORCEMENT_LABELS, ESCALATION_LABELS } from '../domain/enforcement.js';
import { OUTCOME_LABELS, STATUS_LABELS } from '../domain/lifecycle.js';
import { ACTION_STATUS_LABELS, MEETING_KIND_LABELS } from '../domain/meetings.js';
import { Redactor, applyRedactions, type RedactionSpan } from '../domain/redaction.js';
import type { SubjectAccessData } from '../store/subject-access.js';
import { PROTECTIVE_MARKING, knownPerson, knownReference, type Block, type MinutesDocument } from './minutes-model.js';

export const DATA_SUBJECT = 'the data subject';
export const SUBJECT_ACCESS_FORMAT = 'concordat.subject-access/1';

export interface SubjectAccessExportInput {
  data: SubjectAccessData;
  /** Who the pack is for: the data subject, or whoever asks on their behalf. */
  recipients: readonly string[];
  justification: string;
  organisation: string;
  /** ISO instant; the PDF's creation date too. */
  exportedAt: string;
  auditHead: string;
  closedOnlyIncluded: boolean;
}

export interface SubjectAccessPack {
  document: MinutesDocument;
  /** The JSON file's text, exactly as written (its SHA-256 is logged). */
  json: string;
  redactions: number;
  thirdParties: number;
}

/** Strings never scanned: references and hashes the pack needs whole, which name no one. */
const STRUCTURAL_KEYS = new Set(['reference', 'caseReference']);

/** Takes third parties' identifiers out of text and counts what it took. */
class ThirdPartyRedaction {
  private readonly everyone: Redactor;
  private readonly own: Redactor;
  redactions = 0;

  constructor(subject: Person, thirdParties: readonly Person[], otherCaseReferences: readonly string[] = []) {
    // The data subject first: a name part two people share stays the subject's (the redactor keeps the first rule of a pattern).
    const own = knownPerson({ ...subject, household: [] }, DATA_SUBJECT);
    const household = knownPerson(subject, DATA_SUBJECT).slice(1);
    const others = thirdParties.flatMap((p, i) => knownPerson(p, `third party ${i + 1}`));
    const otherCases = knownReference('another case', otherCaseReferences);
    this.everyone = new Redactor([...own, ...household, ...others, otherCases]);
    this.own = new Redactor(own);
  }

  /** The spans to take out: anyone's but the subject's; a pattern match (a phone number) only when it is not the subject's own. */
  spans(text: string): RedactionSpan[] {
    const found = this.everyone.find(text);
    if (found.length === 0) return [];
    // Only the subject's known identifiers: find() would merge a longer pattern match over them and lose whose they are.
    const ownKnown = this.own.findKnown(text).filter((s) => s.subject === DATA_SUBJECT);
    return found.filter(
      // A pattern match that overlaps the subject's own identifier is theirs: "(07700 900777" is matched with its bracket.
      (s) => s.subject !== DATA_SUBJECT && !(s.subject === null && ownKnown.some((o) => s.start < o.end && o.start < s.end)),
    );
  }

  text(value: string): string {
    const spans = this.spans(value);
    this.redactions += spans.length;
    return spans.length ? applyRedactions(value, spans) : value;
  }

  /** Every string inside a value, redacted; keys kept. */
  deep<T>(value: T): T {
    return this.walk(value, null) as T;
  }

  private walk(value: unknown, key: string | null): unknown {
    if (typeof value === 'string') return key !== null && STRUCTURAL_KEYS.has(key) ? value : this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, null));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v, k)]));
  }
}

const MENTION_LABELS: Readonly<Record<SubjectAccessData['mentions'][number]['kind'], string>> = {
  minutes: 'minutes',
  decision: 'a decision',
  addendum: 'an addendum',
  action: 'an action',
  action_review: 'an action review',
  note: 'a case note',
};

const fullName = (p: Pick<Person, 'givenName' | 'familyName'>) => `${p.givenName} ${p.familyName}`;
const words = (code: string) => code.replace(/_/g, ' ');

/** The records with other people replaced by their labels, before any text is scanned. */
function withThirdPartiesLabelled(data: SubjectAccessData) {
  const labels = new Map(data.thirdParties.map((p, i) => [p.id, `third party ${i + 1}`]));
  const subjectName = (p: { id: number }) => (p.id === data.person.id ? `${fullName(data.person)} (${DATA_SUBJECT})` : labels.get(p.id)!);
  const { household, ...profile } = data.person;
  return {
    profile,
    // Household members are people in their own right: their relationship stays, their names and dates of birth do not.
    household: household.map((m, i) => ({ member: `household member ${i + 1}`, relationship: m.relationship })),
    cases: data.cases.map(({ subjects, allowedTransitions: _allowed, reviewOverdue: _overdue, ...c }) => ({
      ...c,
      subjects: subjects.map(subjectName),
    })),
    discussedAt: data.discussedAt.map(({ minutes, ...d }) => ({
      ...d,
      paragraphs: (minutes?.paragraphs ?? []).map((p) => ({ text: p.text, closedOnly: p.closedOnly })),
      decisions: (minutes?.decisions ?? []).map(({ id: _id, ...decision }) => decision),
      addenda: (minutes?.addenda ?? []).map(({ id: _id, ...addendum }) => addendum),
    })),
    actions: data.actions,
    enforcement: data.enforcement,
    escalations: data.escalations,
    auditEntries: data.auditEntries,
    // Where a mention sits is said in words; the other case's id stays out of the pack.
    mentions: data.mentions.map(({ caseId: _case, meetingId: _meeting, ...m }) => m),
  };
}

export function buildSubjectAccessPack(input: SubjectAccessExportInput): SubjectAccessPack {
  const { data } = input;
  const redaction = new ThirdPartyRedaction(data.person, data.thirdParties, data.otherCaseReferences);
  const labelled = withThirdPartiesLabelled(data);
  const { profile, household, ...records } = labelled;
  const released = { profile, household, ...redaction.deep(records) };
  const meta = {
    format: SUBJECT_ACCESS_FORMAT,
    protectiveMarking: PROTECTIVE_MARKING,
    organisation: input.organisation,
    exportedAt: input.exportedAt,
    auditHead: input.auditHead,
    providedTo: input.recipients,
    justification: input.justification,
    closedMeetingMaterialIncluded: input.closedOnlyIncluded,
    thirdParties: data.thirdParties.reduce((n, p) => n + 1 + p.household.length, data.person.household.length),
    redactions: redaction.redactions,
    redactionNote:
      'Other people named in these records are shown as [third party N] or [household member of …]; their contact details, addresses, dates of birth and identifiers are replaced by [… redacted].',
  };
  const { profile: dataSubject, household: householdOut, ...releasedRecords } = released;
  const json = `${JSON.stringify({ ...meta, dataSubject, household: householdOut, ...releasedRecords }, null, 2)}\n`;
  return {
    document: subjectAccessDocument(input, released, meta.thirdParties),
    json,
    redactions: redaction.redactions,
    thirdParties: meta.thirdParties,
  };
}

type Released = ReturnType<typeof withThirdPartiesLabelled>;

function subjectAccessDocument(input: SubjectAccessExportInput, r: Released, thirdParties: number): MinutesDocument {
  const p = r.profile;
  const none = (text = 'None held.'): Block[] => [{ kind: 'paragraph', text }];
  const titlePage: [string, string][] = [
    ['Data subject', fullName(p)],
    ['Organisation', input.organisation],
    ['Provided to', input.recipients.join('; ')],
    ['Justification', input.justification],
    [
      'Closed-meeting material',
      input.closedOnlyIncluded ? 'Included.' : 'Withheld: material recorded for closed People meetings only is not in this pack.',
    ],
    [
      'Other people',
      thirdParties === 0
        ? 'These records name no one else the store knows.'
        : `${thirdParties} other ${thirdParties === 1 ? 'person is' : 'people are'} named in these records: shown as [third party N] or [household member …], their identifiers redacted.`,
    ],
    ['Exported', input.exportedAt],
    ['Audit log head at export', input.auditHead],
    ['Protective marking', `${PROTECTIVE_MARKING}: for the data subject and the people named above only.`],
  ];

  const profileRows: string[][] = [
    ['Name', fullName(p)],
    ['Other names', p.aliases.join(', ') || 'None'],
    ['Date of birth', p.dateOfBirth ?? 'Not recorded'],
    ['Gender', p.gender ? words(p.gender) : 'Not recorded'],
    ...p.addresses.map((a, i) => [
      `Address ${i + 1}${a.current ? ' (current)' : ''}`,
      [a.line1, a.line2, a.town, a.postcode, a.ward ? `ward ${a.ward}` : null].filter(Boolean).join(', '),
    ]),
    ...p.contacts.map((c) => [`Contact (${c.kind})`, c.value]),
    ...p.identifiers.map((x) => [`Reference (${x.scheme})`, x.value]),
    ...r.household.map((h) => [`Household: ${h.member}`, words(h.relationship)]),
    ['Recorded', `${p.createdAt}, last changed ${p.updatedAt}`],
  ];

  const caseBlocks: Block[] = r.cases.flatMap((c): Block[] => [
    { kind: 'heading', text: `Case ${c.reference}` },
    {
      kind: 'table',
      columns: ['Field', 'Recorded'],
      widths: [0.3, 0.7],
      rows: [
        ['Area', c.area],
        ['Status', `${STATUS_LABELS[c.status]}${c.outcome ? ` (${OUTCOME_LABELS[c.outcome]})` : ''}`],
        ['Subjects', c.subjects.join('; ')],
        ['Summary', c.summary],
        ['Referral', `${c.referral.date}, ${c.referral.organisation}, ${c.referral.officer}: ${c.referral.reason}`],
        ['Concerns', c.concerns.map(words).join(', ') || 'None'],
        [
          'Risk',
          `overall ${c.risk.overall} (personal ${c.risk.personalHarm}, community ${c.risk.communityHarm}, environmental ${c.risk.environmentalHarm}); ${c.risk.reasons}`,
        ],
        ['Review date', c.reviewDate],
        ...c.locations.map((l) => [`Location: ${l.label}`, [l.address, l.postcode, l.ward].filter(Boolean).join(', ')]),
        ...c.links.map((l) => [`Linked case ${l.reference}`, l.reason]),
        ...c.transitions.map((t) => [
          `Step ${t.at.slice(0, 10)}`,
          `${t.from ? STATUS_LABELS[t.from] : 'new'} → ${STATUS_LABELS[t.to]}: ${t.reason} (${t.by.displayName})`,
        ]),
      ],
    },
  ]);

  const noteBlocks: Block[] = r.cases.flatMap((c): Block[] =>
    c.notes.length === 0
      ? []
      : [
          { kind: 'heading', text: `Notes on case ${c.reference}` },
          ...c.notes.map((n): Block => ({
            kind: 'paragraph',
            text: `${n.at.slice(0, 16).replace('T', ' ')}, ${n.author.displayName}: ${n.body}`,
          })),
        ],
  );

  const minutesBlocks: Block[] = r.discussedAt.flatMap((d): Block[] => [
    { kind: 'heading', text: `${MEETING_KIND_LABELS[d.kind]}, ${d.area}, ${d.date}: ${d.title} (${d.caseReference})` },
    ...(d.paragraphs.length + d.decisions.length + d.addenda.length === 0 ? none('Nothing minuted under this item.') : []),
    ...d.paragraphs.map((x): Block => ({ kind: 'paragraph', text: x.text })),
    ...d.decisions.map((x): Block => ({ kind: 'paragraph', text: `Decision: ${x.text}` })),
    ...d.addenda.map((x): Block => ({ kind: 'paragraph', text: `Addendum ${x.at.slice(0, 10)}: ${x.text} (reason: ${x.reason})` })),
  ]);

  const mentionBlocks: Block[] = r.mentions.map((m): Block => ({
    kind: 'paragraph',
    text: `${m.date}, ${MENTION_LABELS[m.kind]} (${m.where})${m.closedOnly ? ', closed meeting only' : ''}: ${m.text}`,
  }));

  const enforcementBlocks: Block[] = r.enforcement.map((e): Block => ({
    kind: 'paragraph',
    text: [
      `${ENFORCEMENT_LABELS[e.type]}${e.case ? ` (${e.case.reference})` : ''}, ${words(e.stage)}, ${e.organisation.name}`,
      e.issued ? `issued ${e.issued}` : null,
      e.expiry ? `expires ${e.expiry}` : null,
      e.prohibitions.length ? `prohibitions: ${e.prohibitions.join('; ')}` : null,
      e.conditions ? `conditions: ${e.conditions}` : null,
      ...e.breaches.map((b) => `breach ${b.date} reported by ${b.reportedBy}: ${b.actionTaken}`),
    ]
      .filter(Boolean)
      .join('; '),
  }));

  const escalationBlocks: Block[] = r.escalations.map((x): Block => ({
    kind: 'paragraph',
    text: `${ESCALATION_LABELS[x.kind]} (${x.case.reference}), referred ${x.referredOn} by ${x.referredBy.displayName} to ${x.recipients.join(', ')}: ${x.shared}${x.outcome ? `. Outcome ${x.returnedOn ?? ''}: ${x.outcome}` : ''}`,
  }));

  return {
    title: `Subject access: ${fullName(p)}`,
    organisation: input.organisation,
    lang: 'en-GB',
    exportedAt: input.exportedAt,
    titlePage,
    sections: [
      { heading: 'Personal details', blocks: [{ kind: 'table', columns: ['Field', 'Recorded'], widths: [0.3, 0.7], rows: profileRows }] },
      { heading: 'Cases', blocks: caseBlocks.length ? caseBlocks : none('This person is the subject of no case.') },
      { heading: 'Case notes', blocks: noteBlocks.length ? noteBlocks : none() },
      { heading: 'Minutes of meetings that discussed these cases', blocks: minutesBlocks.length ? minutesBlocks : none() },
      {
        heading: 'Actions',
        blocks: [
          {
            kind: 'table',
            columns: ['Action', 'Owner', 'Due', 'Status'],
            widths: [0.5, 0.25, 0.12, 0.13],
            rows: r.actions.map((a) => [
              `${a.description} (${a.case?.reference ?? ''})`,
              `${a.officer}, ${a.ownerOrganisation.name}`,
              a.dueDate,
              ACTION_STATUS_LABELS[a.status],
            ]),
          },
        ],
      },
      {
        heading: 'Other records that mention this person',
        blocks: mentionBlocks.length ? mentionBlocks : none('No minutes, action or note outside these cases names this person.'),
      },
      { heading: 'Enforcement', blocks: enforcementBlocks.length ? enforcementBlocks : none() },
      { heading: 'Escalations', blocks: escalationBlocks.length ? escalationBlocks : none() },
      {
        heading: 'Who consulted or disclosed these records',
        blocks: [
          {
            kind: 'table',
            columns: ['When', 'Who', 'What', 'Why and to whom'],
            widths: [0.2, 0.25, 0.25, 0.3],
            rows: r.auditEntries.map((e) => [
              e.at.slice(0, 16).replace('T', ' '),
              [e.username, e.organisation].filter(Boolean).join(', '),
              `${e.kind === 'disclosure' ? 'Disclosure' : 'Consultation'}: ${e.operation}${e.outcome === 'refused' ? ' (refused)' : ''}`,
              [e.justification, e.recipients.length ? `to ${e.recipients.join(', ')}` : null].filter(Boolean).join('; ') || '—',
            ]),
          },
        ],
      },
    ],
  };
}
