// The minutes as a document for one audience: every decision about what an audience sees is made here,
// so the PDF writer only lays out text it is given and never holds anything it must not write.
// Closed-only objects and spans go for open and board; the open audience's free text is redacted with the
// reviewed set of spans; the board gets figures only, with the partnership's outcome indicators for the
// meeting's area over the twelve months to its date (computed by outcomeIndicators, as on the dashboard).
import { AUDIENCE_LABELS, ageBand, includesClosedOnly, subjectLabel, treatmentOf, type Audience } from '../contract/audiences.js';
import {
  actionSchema,
  agendaItemSchema,
  attendeeSchema,
  decisionSchema,
  paragraphSchema,
  type MeetingDetail,
} from '../contract/ops/meetings.js';
import type { IndicatorRow } from '../contract/ops/enforcement.js';
import type { Person } from '../contract/ops/people.js';
import { ENFORCEMENT_LABELS, INDICATOR_FIGURES, type EnforcementType } from '../domain/enforcement.js';
import { ACTION_STATUS_LABELS, ATTENDANCE_LABELS, MEETING_KIND_LABELS } from '../domain/meetings.js';
import {
  Redactor,
  applyRedactions,
  contextOf,
  mergeSpans,
  type KnownPerson,
  type RedactionReason,
  type RedactionSpan,
} from '../domain/redaction.js';

export const PROTECTIVE_MARKING = 'OFFICIAL-SENSITIVE';

/** The people of one case on the agenda. */
export interface MeetingCase {
  caseId: number;
  reference: string;
  subjects: readonly Person[];
}

/** A reviewer's changes to the automatic redactions: keys of spans undone, and spans added by hand. */
export interface RedactionReview {
  undone: readonly string[];
  added: readonly { textId: string; start: number; end: number }[];
}
export const EMPTY_REVIEW: RedactionReview = { undone: [], added: [] };

export interface MinutesExportInput {
  meeting: MeetingDetail;
  cases: readonly MeetingCase[];
  audience: Audience;
  review: RedactionReview;
  recipients: readonly string[];
  organisation: string;
  /** ISO instant; also the PDF's creation date, so the same export time gives the same bytes. */
  exportedAt: string;
  /** The audit log's head hash at export. */
  auditHead: string;
  /** The partnership's outcome indicators for the meeting's area and period (board audience only). */
  indicators?: BoardIndicators | null;
}

/** The outcome indicators as the dashboard computes them, for the period and area the board minutes report. */
export interface BoardIndicators {
  from: string;
  to: string;
  area: string;
  rows: readonly IndicatorRow[];
  total: IndicatorRow;
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; columns: readonly string[]; widths: readonly number[]; rows: readonly (readonly string[])[] };

export interface MinutesDocument {
  title: string;
  organisation: string;
  lang: string;
  exportedAt: string;
  titlePage: readonly (readonly [string, string])[];
  sections: readonly { heading: string; blocks: readonly Block[] }[];
}

/** One automatic or manual redaction, as the review lists it. */
export interface ReviewedRedaction {
  key: string;
  textId: string;
  where: string;
  start: number;
  end: number;
  reason: RedactionReason;
  subject: string | null;
  before: string;
  match: string;
  after: string;
  undone: boolean;
}

// ── the meeting's free text, with stable ids ──────────────────────────────────────────────────────────

interface FreeText {
  id: string;
  where: string;
  text: string;
}

/** Closed-only spans cut out of a paragraph (for audiences without closed content). */
function withoutClosedSpans(text: string, spans: readonly { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) {
      at = Math.max(at, span.end);
      continue;
    }
    out += text.slice(at, span.start);
    at = span.end;
  }
  return (out + text.slice(at)).replace(/[ \t]{2,}/g, ' ');
}

function visibleAgenda(meeting: MeetingDetail, audience: Audience) {
  const closed = includesClosedOnly(audience);
  return meeting.agenda.filter((item) => !item.removed && (closed || (!item.closedOnly && !item.case?.closedOnly)));
}

function visibleActions(meeting: MeetingDetail, audience: Audience) {
  const closed = includesClosedOnly(audience);
  const items = new Set(visibleAgenda(meeting, audience).map((i) => i.id));
  return meeting.actions.filter((a) => (closed || !a.closedOnly) && (a.agendaItemId === null || items.has(a.agendaItemId)));
}

/** Every piece of free text the audience could be shown, before redaction. */
export function freeTexts(meeting: MeetingDetail, audience: Audience): FreeText[] {
  const closed = includesClosedOnly(audience);
  const out: FreeText[] = [];
  const agenda = visibleAgenda(meeting, audience);
  for (const [n, item] of agenda.entries()) {
    out.push({ id: `title:${item.id}`, where: `Agenda item ${n + 1}: title`, text: item.title });
    const minutes = meeting.minutes.items.find((m) => m.agendaItemId === item.id);
    if (!minutes) continue;
    for (const [k, p] of minutes.paragraphs.entries()) {
      if (!closed && p.closedOnly) continue;
      out.push({
        id: `paragraph:${p.id}`,
        where: `Item ${n + 1}, paragraph ${k + 1}`,
        text: closed ? p.text : withoutClosedSpans(p.text, p.closedOnlySpans),
      });
    }
    for (const [k, d] of minutes.decisions.entries()) {
      if (!closed && d.closedOnly) continue;
      out.push({ id: `decision:${d.id}`, where: `Item ${n + 1}, decision ${k + 1}`, text: d.text });
    }
    for (const [k, a] of minutes.addenda.entries()) {
      if (!closed && a.closedOnly) continue;
      out.push({ id: `addendum:${a.id}`, where: `Item ${n + 1}, addendum ${k + 1}`, text: a.text });
      out.push({ id: `addendum-reason:${a.id}`, where: `Item ${n + 1}, addendum ${k + 1} reason`, text: a.reason });
    }
  }
  for (const [k, action] of visibleActions(meeting, audience).entries()) {
    out.push({ id: `action:${action.id}`, where: `Action ${k + 1}`, text: action.description });
  }
  return out;
}

// ── who the redactor looks for ────────────────────────────────────────────────────────────────────────

interface Labelled {
  labels: Map<number, string>;
  known: KnownPerson[];
}

/**
 * The person alone, as the redactor looks for them in the store's own free text (erasure, pseudonymisation,
 * subject access): not their household, and not their town, which is every area, place and note about the
 * area, not them. The street and postcode identify; the town does not.
 */
export function knownIndividual(person: Person, label: string): KnownPerson {
  const [self] = knownPerson({ ...person, household: [] }, label);
  return { ...self!, addresses: self!.addresses.map((a) => ({ ...a, town: null })) };
}

/** Something known by its references alone (a case): its places are places, not a person, and stay in other texts. */
export function knownReference(label: string, references: readonly string[]): KnownPerson {
  return {
    label,
    givenName: '',
    familyName: '',
    aliases: [],
    dateOfBirth: null,
    addresses: [],
    contacts: [],
    identifiers: references,
  };
}

/** A person and their household as the redactor knows them: the household labelled after the person. */
export function knownPerson(person: Person, label: string): KnownPerson[] {
  const known: KnownPerson[] = [
    {
      label,
      givenName: person.givenName,
      familyName: person.familyName,
      aliases: person.aliases,
      dateOfBirth: person.dateOfBirth,
      addresses: person.addresses,
      contacts: person.contacts.map((x) => x.value),
      identifiers: person.identifiers.map((x) => x.value),
    },
  ];
  for (const member of person.household) {
    const [given = '', ...rest] = member.name.trim().split(/\s+/);
    known.push({
      label: `household member of ${label}`,
      givenName: given,
      familyName: rest.join(' ') || given,
      aliases: [],
      dateOfBirth: member.dateOfBirth,
      addresses: [],
      contacts: [],
      identifiers: [],
    });
  }
  return known;
}

/** Subjects labelled A, B, … in agenda order; household members labelled after the subject they live with. */
export function knownPeople(cases: readonly MeetingCase[]): Labelled {
  const labels = new Map<number, string>();
  const known: KnownPerson[] = [];
  for (const c of cases) {
    for (const person of c.subjects) {
      if (labels.has(person.id)) continue;
      const label = subjectLabel(labels.size);
      labels.set(person.id, label);
      known.push(...knownPerson(person, label));
    }
  }
  return { labels, known };
}

const spanKey = (textId: string, s: { start: number; end: number }) => `${textId}@${s.start}-${s.end}`;

/** The automatic redactions for an audience, each with its context, marked undone where the review says so. */
export function redactionsForReview(
  meeting: MeetingDetail,
  cases: readonly MeetingCase[],
  audience: Audience,
  review: RedactionReview = EMPTY_REVIEW,
): ReviewedRedaction[] {
  if (audience !== 'open') return [];
  const redactor = new Redactor(knownPeople(cases).known);
  const undone = new Set(review.undone);
  const out: ReviewedRedaction[] = [];
  for (const t of freeTexts(meeting, audience)) {
    const automatic = redactor.find(t.text).map((s) => ({ ...s, key: spanKey(t.id, s) }));
    const manual = review.added
      .filter((a) => a.textId === t.id && a.end <= t.text.length && a.start < a.end)
      .map((a) => ({ start: a.start, end: a.end, reason: 'manual' as const, subject: null, key: `manual:${spanKey(t.id, a)}` }));
    for (const s of [...automatic, ...manual]) {
      out.push({ ...s, textId: t.id, where: t.where, ...contextOf(t.text, s), undone: undone.has(s.key) });
    }
  }
  return out;
}

// ── the document ──────────────────────────────────────────────────────────────────────────────────────

const dateOf = (iso: string) => iso.slice(0, 10);

/** Builds the document for one audience. Text the audience may not see never enters the result. */
export function buildMinutesDocument(input: MinutesExportInput): MinutesDocument {
  return buildMinutesExport(input).document;
}

/**
 * The document and the number of redactions it carries (as `redactionsForReview` counts them, less those
 * undone), counted while the text is released rather than by finding every span a second time.
 */
export function buildMinutesExport(input: MinutesExportInput): { document: MinutesDocument; redactions: number } {
  const tally = new Map<string, number>();
  const document = buildDocument(input, tally);
  return { document, redactions: [...tally.values()].reduce((a, b) => a + b, 0) };
}

function buildDocument(input: MinutesExportInput, tally: Map<string, number>): MinutesDocument {
  const { meeting, audience } = input;
  const title = `Minutes: ${MEETING_KIND_LABELS[meeting.kind]}, ${meeting.area}, ${meeting.date}`;
  const titlePage: [string, string][] = [
    ['Meeting', `${MEETING_KIND_LABELS[meeting.kind]}${meeting.closed ? ' (closed)' : ' (open)'}`],
    ['Area', meeting.area],
    ['Date', `${meeting.date}, ${meeting.startTime}${meeting.endTime ? `–${meeting.endTime}` : ''}`],
    ['Audience', AUDIENCE_LABELS[audience]],
    ['Minutes status', meeting.minutes.status],
    ['Distribution', input.recipients.join('; ') || 'none named'],
    ['Exported', input.exportedAt],
    ['Audit log head at export', input.auditHead],
    ['Protective marking', `${PROTECTIVE_MARKING}: do not forward beyond the distribution list.`],
  ];
  const sections = audience === 'board' ? boardSections(input) : fullSections(input, tally);
  return { title, organisation: input.organisation, lang: 'en-GB', exportedAt: input.exportedAt, titlePage, sections };
}

function fullSections(input: MinutesExportInput, tally: Map<string, number>): MinutesDocument['sections'] {
  const { meeting, audience } = input;
  const { labels, known } = knownPeople(input.cases);
  const redactor = audience === 'open' ? new Redactor(known) : null;
  const undone = new Set(input.review.undone);
  const release = (textId: string, text: string, treatment = treatmentOf(paragraphSchema.shape.text, audience)): string => {
    if (treatment === 'drop') return '';
    const manual = input.review.added
      .filter((a) => a.textId === textId && a.start < a.end && a.end <= text.length)
      .map((a): RedactionSpan => ({ start: a.start, end: a.end, reason: 'manual', subject: null }));
    const automatic = treatment === 'scan' && redactor ? redactor.find(text).filter((s) => !undone.has(spanKey(textId, s))) : [];
    // Only the open audience's redactions are reviewed and counted (a title is released twice: counted once).
    if (audience === 'open') tally.set(textId, automatic.length + manual.filter((s) => !undone.has(`manual:${spanKey(textId, s)}`)).length);
    return applyRedactions(text, mergeSpans([...automatic, ...manual]));
  };
  const nameOf = (a: MeetingDetail['attendees'][number]) =>
    treatmentOf(attendeeSchema.shape.name, audience) === 'keep'
      ? `${a.name}, ${a.role}`
      : treatmentOf(attendeeSchema.shape.role, audience) === 'keep'
        ? a.role
        : 'Representative';
  const caseLine = (ref: { id: number; reference: string; subjects: readonly string[] }) => {
    const c = input.cases.find((x) => x.caseId === ref.id);
    const subjectLabels = (c?.subjects ?? []).map((p) => labels.get(p.id) ?? 'Subject');
    if (treatmentOf(agendaItemSchema.shape.case.unwrap().shape.subjects, audience) === 'keep') {
      return `${ref.reference}: ${ref.subjects.join(', ')}`;
    }
    const details = (c?.subjects ?? []).map((p) => {
      const ward = p.addresses.find((a) => a.current)?.ward ?? p.addresses[0]?.ward;
      const age = p.dateOfBirth ? `age ${ageBand(p.dateOfBirth, meeting.date)}` : null;
      return [labels.get(p.id), age, ward ? `ward ${ward}` : null].filter(Boolean).join(', ');
    });
    return `${subjectLabels.join(', ')} (${ref.reference})${details.length ? `: ${details.join('; ')}` : ''}`;
  };

  const present = meeting.attendees.filter((a) => a.attendance === 'present');
  const apologies = meeting.attendees.filter((a) => a.attendance === 'apologies' || a.attendance === 'absent');
  const attendanceTable = (rows: typeof meeting.attendees): Block => ({
    kind: 'table',
    columns: ['Name and role', 'Organisation', 'Attendance'],
    widths: [0.45, 0.35, 0.2],
    rows: rows.map((a) => [
      nameOf(a) + (a.isChair ? ' (chair)' : a.isMinuteTaker ? ' (minutes)' : ''),
      a.organisation.name,
      ATTENDANCE_LABELS[a.attendance],
    ]),
  });

  const agenda = visibleAgenda(meeting, audience);
  const closed = includesClosedOnly(audience);
  const minutesSection: Block[] = [];
  const decisions: Block[] = [];
  const addenda: Block[] = [];
  for (const [n, item] of agenda.entries()) {
    const heading = `${n + 1}. ${release(`title:${item.id}`, item.title, treatmentOf(agendaItemSchema.shape.title, audience))}`;
    minutesSection.push({ kind: 'heading', text: heading });
    if (item.case) minutesSection.push({ kind: 'paragraph', text: `Case: ${caseLine(item.case)}` });
    const minutes = meeting.minutes.items.find((m) => m.agendaItemId === item.id);
    for (const p of minutes?.paragraphs ?? []) {
      if (!closed && p.closedOnly) continue;
      const text = closed ? p.text : withoutClosedSpans(p.text, p.closedOnlySpans);
      minutesSection.push({ kind: 'paragraph', text: release(`paragraph:${p.id}`, text) });
    }
    for (const d of minutes?.decisions ?? []) {
      if (!closed && d.closedOnly) continue;
      const change = d.caseStatus
        ? ` (status ${d.caseStatus.from} → ${d.caseStatus.to}${d.caseStatus.outcome ? `, ${d.caseStatus.outcome}` : ''})`
        : d.risk
          ? ` (risk ${d.risk.from} → ${d.risk.to})`
          : '';
      decisions.push({
        kind: 'paragraph',
        text: `Item ${n + 1}: ${release(`decision:${d.id}`, d.text, treatmentOf(decisionSchema.shape.text, audience))}${change}`,
      });
    }
    for (const a of minutes?.addenda ?? []) {
      if (!closed && a.closedOnly) continue;
      addenda.push({
        kind: 'paragraph',
        text: `Item ${n + 1}, ${dateOf(a.at)}: ${release(`addendum:${a.id}`, a.text)} (reason: ${release(`addendum-reason:${a.id}`, a.reason)})`,
      });
    }
  }
  const actions = visibleActions(meeting, audience);
  const officer = (a: MeetingDetail['actions'][number]) =>
    (treatmentOf(actionSchema.shape.officer, audience) === 'keep' ? `${a.officer}, ` : '') + a.ownerOrganisation.name;
  return [
    { heading: 'Attendance', blocks: [attendanceTable(present)] },
    { heading: 'Apologies and absence', blocks: apologies.length ? [attendanceTable(apologies)] : [{ kind: 'paragraph', text: 'None.' }] },
    {
      heading: 'Agenda',
      blocks: agenda.map((item, n) => ({
        kind: 'paragraph',
        text: `${n + 1}. ${release(`title:${item.id}`, item.title, treatmentOf(agendaItemSchema.shape.title, audience))}`,
      })),
    },
    { heading: 'Minutes', blocks: minutesSection.length ? minutesSection : [{ kind: 'paragraph', text: 'No minutes recorded.' }] },
    { heading: 'Decisions', blocks: decisions.length ? decisions : [{ kind: 'paragraph', text: 'None recorded.' }] },
    {
      heading: 'Actions',
      blocks: [
        {
          kind: 'table',
          columns: ['Action', 'Owner', 'Due', 'Status'],
          widths: [0.5, 0.25, 0.12, 0.13],
          rows: actions.map((a) => [release(`action:${a.id}`, a.description), officer(a), a.dueDate, ACTION_STATUS_LABELS[a.status]]),
        },
      ],
    },
    { heading: 'Addenda', blocks: addenda.length ? addenda : [{ kind: 'paragraph', text: 'None.' }] },
  ];
}

/** Figures and outcome indicators only: counts, never a case row or a line of free text. */
function boardSections(input: MinutesExportInput): MinutesDocument['sections'] {
  const { meeting, audience } = input;
  const count = <T>(items: readonly T[], keyOf: (t: T) => string) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, String(v)]);
  };
  const agenda = visibleAgenda(meeting, audience);
  const items = new Set(agenda.map((i) => i.id));
  const decisions = meeting.minutes.items
    .filter((m) => items.has(m.agendaItemId))
    .flatMap((m) => m.decisions)
    .filter((d) => !d.closedOnly);
  const actions = visibleActions(meeting, audience);
  const table = (columns: [string, string], rows: string[][]): Block => ({ kind: 'table', columns, widths: [0.7, 0.3], rows });
  return [
    {
      heading: 'Attendance',
      blocks: [
        table(
          ['Attendance', 'People'],
          count(meeting.attendees, (a) => ATTENDANCE_LABELS[a.attendance]),
        ),
      ],
    },
    {
      heading: 'Cases',
      blocks: [
        table(
          ['Measure', 'Number'],
          [
            ['Agenda items', String(agenda.length)],
            ['Cases discussed', String(agenda.filter((i) => i.case).length)],
            ...count(
              agenda.filter((i) => i.case),
              (i) => `Cases at overall risk ${i.case!.overallRisk}`,
            ),
          ],
        ),
      ],
    },
    {
      heading: 'Outcomes',
      blocks: [
        table(
          ['Decision', 'Number'],
          [
            ...count(decisions, (d) =>
              d.caseStatus
                ? `Status ${d.caseStatus.from} → ${d.caseStatus.to}${d.caseStatus.outcome ? ` (${d.caseStatus.outcome})` : ''}`
                : d.risk
                  ? `Risk ${d.risk.from} → ${d.risk.to}`
                  : 'Other decisions',
            ),
          ],
        ),
      ],
    },
    {
      heading: 'Actions',
      blocks: [
        table(
          ['Status', 'Number'],
          [...count(actions, (a) => ACTION_STATUS_LABELS[a.status]), ['Overdue', String(actions.filter((a) => a.overdue).length)]],
        ),
      ],
    },
    ...(input.indicators ? [indicatorSection(input.indicators)] : []),
  ];
}

/** The partnership's indicators, one column per period and one for the whole, as on the Outcomes page. */
function indicatorSection(indicators: BoardIndicators): MinutesDocument['sections'][number] {
  const columns = [...indicators.rows, indicators.total];
  const figure = (v: number | null) => (v === null ? '–' : String(v));
  const types = Object.keys(indicators.total.enforcementByType).sort() as EnforcementType[];
  const rows: string[][] = [
    ...INDICATOR_FIGURES.map(([key, label]) => [label, ...columns.map((r) => figure(r[key]))]),
    ...types.map((t) => [`Enforcement: ${ENFORCEMENT_LABELS[t] ?? t}`, ...columns.map((r) => String(r.enforcementByType[t] ?? 0))]),
  ];
  const share = 0.66 / columns.length;
  return {
    heading: 'Outcome indicators',
    blocks: [
      {
        kind: 'paragraph',
        text: `The partnership's outcome indicators for ${indicators.area}, ${indicators.from} to ${indicators.to}, by quarter (the figures of the Outcomes page; – where no case was closed).`,
      },
      {
        kind: 'table',
        columns: ['Indicator', ...indicators.rows.map((r) => r.period), 'Total'],
        widths: [0.34, ...columns.map(() => share)],
        rows,
      },
    ],
  };
}
