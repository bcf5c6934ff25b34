// Which tables hold closed-only content, and which of their columns are that content (issue 15: 1). A row
// that is closed-only keeps its id and structure in the open store, with these columns blanked ("sealed"),
// and its content in the closed database's table of the same shape (docs/closed-store.md).

import type { Row, Sql } from '../vault/database.js';
import { minuteParagraphStub } from './minute-stubs.js';

export interface SealedColumn {
  name: string;
  /** What the open store keeps in place of the content. */
  stub: string | null;
  /** A NULL stays NULL (the column's nullness is structure other rules check, not content). */
  keepsNull?: boolean;
}

export interface SealedTable {
  /** The table in the open store. */
  table: string;
  /** Its counterpart in the closed database (a name no open-store table has, so triggers can name it). */
  closedTable: string;
  /** The row's key (the open store keeps it; the closed row carries the same). */
  key: readonly string[];
  /** Copied to the closed row as well, for its search index, and not blanked. */
  carried: readonly string[];
  columns: readonly SealedColumn[];
  /**
   * The 0/1 column that says the row is closed-only (default `closed_only`). A table whose rows are also
   * hidden for their meeting's or case's sake keeps its own mark as it is and gets a second column,
   * `closed_content`, kept in step by triggers (migration 015), so the rows sealed are exactly those a
   * non-statutory member is not shown.
   */
  mark?: string;
  /** The stub is computed per row from its content, not a constant (minute paragraphs with closed-only spans). */
  computedStub?: ComputedStub;
}

/**
 * A stub that depends on the row's full content and on other rows (a paragraph's spans). A trigger sets
 * `stale` on a sealed row when what its stub hides changes, and the reconciliation computes it again from
 * the closed copy (src/store/closed-store.ts).
 */
export interface ComputedStub {
  /** The 0/1 column a trigger sets on a sealed row whose stub no longer hides what it should. */
  stale: string;
  /** The stub of the row with key `id`, from its full content (the sealed columns). */
  stub(db: Sql, id: number, content: Row): Promise<Row>;
}

const text = (name: string): SealedColumn => ({ name, stub: '' });

export const SEALED_TABLES: readonly SealedTable[] = [
  {
    table: 'cases',
    closedTable: 'closed_cases',
    key: ['id'],
    carried: [],
    columns: [
      text('summary'),
      text('referral_org'),
      text('referral_officer'),
      text('referral_reason'),
      { name: 'vulnerability_factors', stub: '[]' },
      text('risk_reasons'),
      // Blank, but still NULL where it was: a CHECK pairs it with supported_decision.
      { name: 'supported_by_service', stub: '', keepsNull: true },
    ],
  },
  { table: 'case_notes', closedTable: 'closed_case_notes', key: ['id'], carried: [], columns: [text('body')] },
  { table: 'case_transitions', closedTable: 'closed_case_transitions', key: ['id'], carried: [], columns: [text('reason')] },
  { table: 'case_links', closedTable: 'closed_case_links', key: ['case_id', 'other_case_id'], carried: [], columns: [text('reason')] },
  {
    table: 'case_locations',
    closedTable: 'closed_case_locations',
    key: ['id'],
    carried: ['case_id'],
    columns: [text('label'), text('address'), { name: 'postcode', stub: null }, { name: 'ward', stub: null }],
  },
  {
    table: 'minute_paragraphs',
    closedTable: 'closed_minute_paragraphs',
    key: ['id'],
    carried: [],
    columns: [text('text')],
    // Its own mark, its meeting's `closed` or its agenda item's closed-only case (migration 015), or a
    // closed-only span in it (migration 018): then the open store keeps its open words around a filler.
    mark: 'seal_mark',
    computedStub: { stale: 'stub_stale', stub: minuteParagraphStub },
  },
  // People whose every case is closed-only (migration 014 keeps their mark; docs/closed-store.md says the rule).
  // Gender and date of birth are blank too: with a ward or a household they could single a person out.
  {
    table: 'people',
    closedTable: 'closed_people',
    key: ['id'],
    carried: [],
    columns: [
      text('given_name'),
      text('family_name'),
      { name: 'date_of_birth', stub: null },
      { name: 'gender', stub: null },
      { name: 'contacts', stub: '[]' },
      { name: 'household', stub: '[]' },
    ],
  },
  { table: 'person_aliases', closedTable: 'closed_person_aliases', key: ['id'], carried: ['person_id'], columns: [text('alias')] },
  {
    table: 'person_addresses',
    closedTable: 'closed_person_addresses',
    key: ['id'],
    carried: ['person_id'],
    columns: [
      text('line1'),
      { name: 'line2', stub: null },
      { name: 'town', stub: null },
      { name: 'postcode', stub: null },
      { name: 'ward', stub: null },
      { name: 'address_key', stub: null },
    ],
  },
  // The scheme (police, NHS, …) stays: a CHECK holds it to a code, and it is structure, not who the person is.
  { table: 'person_identifiers', closedTable: 'closed_person_identifiers', key: ['id'], carried: ['person_id'], columns: [text('value')] },
  // Meetings, minutes, actions and enforcement (migration 015, closed migration 003).
  {
    table: 'meetings',
    closedTable: 'closed_meetings',
    key: ['id'],
    carried: [],
    columns: [
      { name: 'place', stub: null },
      { name: 'place_focus', stub: null },
      { name: 'minutes_returned', stub: null },
    ],
    // A closed meeting is hidden whole from a non-statutory member.
    mark: 'closed',
  },
  {
    table: 'minute_decisions',
    closedTable: 'closed_minute_decisions',
    key: ['id'],
    carried: [],
    columns: [text('text')],
    mark: 'closed_content',
  },
  {
    table: 'minute_addenda',
    closedTable: 'closed_minute_addenda',
    key: ['id'],
    carried: [],
    columns: [text('text'), text('reason')],
    mark: 'closed_content',
  },
  {
    table: 'actions',
    closedTable: 'closed_actions',
    key: ['id'],
    carried: [],
    columns: [text('description'), text('officer')],
    mark: 'closed_content',
  },
  {
    table: 'enforcement',
    closedTable: 'closed_enforcement',
    key: ['id'],
    carried: [],
    columns: [{ name: 'location', stub: null }, text('conditions'), { name: 'prohibitions', stub: '[]' }],
    mark: 'closed_content',
  },
  // Agendas and attendance (migration 016, closed migration 004): hidden for their meeting's `closed` or
  // their case's `closed_only`; none has a mark of its own.
  {
    table: 'agenda_items',
    closedTable: 'closed_agenda_items',
    key: ['id'],
    carried: [],
    columns: [
      text('title'),
      { name: 'proposal_reasons', stub: '[]' },
      text('added_reason'),
      // Blank, but still NULL where it was: a CHECK pairs it with removed_at.
      { name: 'removed_reason', stub: '', keepsNull: true },
    ],
    mark: 'closed_content',
  },
  {
    table: 'agenda_reorders',
    closedTable: 'closed_agenda_reorders',
    key: ['id'],
    carried: [],
    columns: [text('reason')],
    mark: 'closed_content',
  },
  {
    table: 'meeting_case_raises',
    closedTable: 'closed_meeting_case_raises',
    key: ['id'],
    carried: [],
    columns: [text('reason')],
    mark: 'closed_content',
  },
  {
    table: 'meeting_attendees',
    closedTable: 'closed_meeting_attendees',
    key: ['id'],
    carried: [],
    columns: [text('name'), text('role')],
    mark: 'closed_content',
  },
  // What hangs on closed-only content (migration 017, closed migration 005), each by `closed_content`: the
  // mark of its action, enforcement record, case, trigger or person, kept in step by triggers.
  {
    table: 'action_reviews',
    closedTable: 'closed_action_reviews',
    key: ['id'],
    carried: [],
    // The reason is a code, but the action's own failure_reason (its status) still says the latest one.
    columns: [text('note'), { name: 'failure_reason', stub: null }],
    mark: 'closed_content',
  },
  {
    table: 'enforcement_breaches',
    closedTable: 'closed_enforcement_breaches',
    key: ['id'],
    carried: [],
    columns: [text('reported_by'), text('action_taken')],
    mark: 'closed_content',
  },
  {
    table: 'escalations',
    closedTable: 'closed_escalations',
    key: ['id'],
    carried: [],
    // Whether an outcome came back is structure (returned_on says it too).
    columns: [text('shared'), { name: 'recipients', stub: '[]' }, { name: 'outcome', stub: '', keepsNull: true }],
    mark: 'closed_content',
  },
  {
    table: 'community_triggers',
    closedTable: 'closed_community_triggers',
    key: ['id'],
    carried: [],
    columns: [
      text('applicant'),
      { name: 'on_behalf_of', stub: '', keepsNull: true },
      { name: 'decision_reasons', stub: '', keepsNull: true },
      { name: 'review_notes', stub: '', keepsNull: true },
      { name: 'outcome', stub: '', keepsNull: true },
      { name: 'appeal', stub: '', keepsNull: true },
    ],
    mark: 'closed_content',
  },
  {
    table: 'community_trigger_incidents',
    closedTable: 'closed_community_trigger_incidents',
    key: ['id'],
    carried: [],
    columns: [text('agency'), text('reference')],
    mark: 'closed_content',
  },
  {
    table: 'community_trigger_recommendations',
    closedTable: 'closed_community_trigger_recommendations',
    key: ['id'],
    carried: [],
    columns: [text('text'), text('owner')],
    mark: 'closed_content',
  },
  {
    table: 'retention_decisions',
    closedTable: 'closed_retention_decisions',
    key: ['id'],
    carried: [],
    columns: [text('reason')],
    mark: 'closed_content',
  },
  {
    table: 'case_releases',
    closedTable: 'closed_case_releases',
    key: ['id'],
    carried: [],
    columns: [text('reason')],
    mark: 'closed_content',
  },
  {
    table: 'pseudonymised_people',
    closedTable: 'closed_pseudonymised_people',
    key: ['person_id'],
    carried: [],
    columns: [
      { name: 'birth_year', stub: null },
      { name: 'ward', stub: null },
    ],
    mark: 'closed_content',
  },
];

/** The column that marks `table`'s closed-only rows. */
export const markOf = (table: SealedTable): string => table.mark ?? 'closed_only';
