// Erasure reaches every column a user can type into (issue 19: 3). The schema is walked: every TEXT column
// of every table is either rewritten by the erasure (FREE_TEXT and FREE_TEXT_ELSEWHERE in
// src/store/erasure.ts) or named here with why it cannot hold a person's identifiers. A migration that adds
// a text column fails this test until it says which it is; that is the point.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FREE_TEXT, FREE_TEXT_ELSEWHERE } from '../../src/store/erasure.js';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { SEALED_TABLES } from '../../src/store/closed-tables.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { Migration } from '../../src/vault/migrate.js';
import { Database, rawKeyPragma } from '../../src/vault/database.js';
import { migrate } from '../../src/vault/migrate.js';
import { tempDir } from '../support/store.js';

const CODES = 'a code from a fixed list (a CHECK or the contract holds it to that list)';
const WHEN = 'a date or a time';
const IDS = 'ids, counts or a hash, never words';

/** Text columns that hold no typed words, or that the erasure deletes with their row, and why. */
const NOT_FREE_TEXT: Readonly<Record<string, string>> = {
  'meta.key': 'a setting name',
  'meta.value': 'a setting (the store id, dates, a backup folder path)',
  'organisations.name': 'a partner organisation, not a person',
  'organisations.created_at': WHEN,
  'users.username': 'a member of staff: users are never erased (the audit log refers to them)',
  'users.display_name': 'a member of staff: users are never erased (the audit log refers to them)',
  'users.role': CODES,
  'users.created_at': WHEN,
  'users.removed_at': WHEN,
  'audit_log.at': WHEN,
  'audit_log.username': 'a member of staff',
  'audit_log.organisation': 'a partner organisation',
  'audit_log.role': CODES,
  'audit_log.kind': CODES,
  'audit_log.operation': CODES,
  'audit_log.entity_type': CODES,
  'audit_log.entity_id': IDS,
  'audit_log.justification':
    "typed by staff, and inside the hash chain: beyond an erasure's reach (docs/erasure.md says so; the unlock screen asks for no names)",
  'audit_log.recipients': 'organisations a disclosure went to',
  'audit_log.outcome': CODES,
  'audit_log.error_code': CODES,
  'audit_log.details': IDS,
  'audit_log.prev_hash': IDS,
  'audit_log.hash': IDS,
  // The erased person's own rows are deleted whole; other people's names are other people.
  'people.given_name': 'deleted with the erased person; another person is not them',
  'people.family_name': 'deleted with the erased person; another person is not them',
  'people.date_of_birth': 'deleted with the erased person',
  'people.gender': CODES,
  'people.contacts': "the person's own contact details: deleted with them, and another person's stay theirs (a shared landline)",
  'people.created_at': WHEN,
  'people.updated_at': WHEN,
  'person_aliases.alias': 'deleted with the erased person',
  'person_addresses.line1': 'deleted with the erased person',
  'person_addresses.line2': 'deleted with the erased person',
  'person_addresses.town': 'deleted with the erased person',
  'person_addresses.postcode': 'deleted with the erased person',
  'person_addresses.ward': 'deleted with the erased person',
  'person_addresses.address_key': 'deleted with the erased person',
  'person_identifiers.scheme': CODES,
  'person_identifiers.value': 'deleted with the erased person',
  'cases.reference': 'deleted with the erased case; a mention elsewhere is rewritten',
  'cases.referral_date': WHEN,
  'cases.consent': CODES,
  'cases.personal_harm': CODES,
  'cases.community_harm': CODES,
  'cases.environmental_harm': CODES,
  'cases.overall_risk': CODES,
  'cases.risk_assessed_at': WHEN,
  'cases.review_date': WHEN,
  'cases.status': CODES,
  'cases.outcome': CODES,
  'cases.supported_decision': CODES,
  'cases.created_at': WHEN,
  'cases.updated_at': WHEN,
  'case_concerns.concern': CODES,
  'case_links.created_at': WHEN,
  'case_notes.at': WHEN,
  'case_notes.classification': CODES,
  'case_transitions.from_status': CODES,
  'case_transitions.to_status': CODES,
  'case_transitions.outcome': CODES,
  'case_transitions.at': WHEN,
  'case_releases.released': IDS,
  'case_releases.kept': IDS,
  'case_releases.at': WHEN,
  'meetings.kind': CODES,
  'meetings.date': WHEN,
  'meetings.start_time': WHEN,
  'meetings.end_time': WHEN,
  'meetings.status': CODES,
  'meetings.minutes_status': CODES,
  'meetings.minutes_started_at': WHEN,
  'meetings.minutes_submitted_at': WHEN,
  'meetings.minutes_approved_at': WHEN,
  'meetings.created_at': WHEN,
  'meetings.updated_at': WHEN,
  'meeting_attendees.attendance': CODES,
  'meeting_attendees.arrived_at': WHEN,
  'meeting_attendees.left_at': WHEN,
  'meeting_attendees.created_at': WHEN,
  'meeting_acknowledgements.at': WHEN,
  'meeting_case_raises.at': WHEN,
  'agenda_items.kind': CODES,
  'agenda_items.added_at': WHEN,
  'agenda_items.removed_at': WHEN,
  'agenda_reorders.item_ids': IDS,
  'agenda_reorders.at': WHEN,
  'minute_items.updated_at': WHEN,
  'minute_decisions.kind': CODES,
  'minute_decisions.from_status': CODES,
  'minute_decisions.to_status': CODES,
  'minute_decisions.outcome': CODES,
  'minute_decisions.risk_from': CODES,
  'minute_decisions.risk_to': CODES,
  'minute_decisions.personal_harm': CODES,
  'minute_decisions.community_harm': CODES,
  'minute_decisions.environmental_harm': CODES,
  'minute_decisions.at': WHEN,
  'minute_addenda.at': WHEN,
  'actions.due_date': WHEN,
  'actions.status': CODES,
  'actions.failure_reason': CODES,
  'actions.created_at': WHEN,
  'actions.updated_at': WHEN,
  'action_reviews.outcome': CODES,
  'action_reviews.new_due_date': WHEN,
  'action_reviews.failure_reason': CODES,
  'action_reviews.at': WHEN,
  // Agreements are between organisations, sealed by a hash once signed; no subject is named in them.
  'agreement_templates.kind': CODES,
  'agreement_templates.content': "the partnership's agreement template, about organisations",
  'agreement_templates.created_at': WHEN,
  'agreements.kind': CODES,
  'agreements.group_name': "the partnership's name",
  'agreements.partner_type': CODES,
  'agreements.expectations': 'what an organisation undertakes, sealed once signed',
  'agreements.created_at': WHEN,
  'agreements.updated_at': WHEN,
  'agreements.signed_at': WHEN,
  'agreements.signed_on': WHEN,
  'agreements.review_date': WHEN,
  'agreements.valid_until': WHEN,
  'agreements.sealed': 'the signed agreement as sealed (about organisations)',
  'agreements.hash': IDS,
  'agreement_terminations.at': WHEN,
  'agreement_terminations.reason': "why an organisation's agreement ended, sealed with it",
  'enforcement.type': CODES,
  'enforcement.stage': CODES,
  'enforcement.issued_on': WHEN,
  'enforcement.served_on': WHEN,
  'enforcement.hearing_on': WHEN,
  'enforcement.granted_on': WHEN,
  'enforcement.expiry_on': WHEN,
  'enforcement.created_at': WHEN,
  'enforcement.updated_at': WHEN,
  'enforcement_breaches.date': WHEN,
  'enforcement_breaches.recorded_at': WHEN,
  'escalations.kind': CODES,
  'escalations.referred_on': WHEN,
  'escalations.returned_on': WHEN,
  'escalations.created_at': WHEN,
  'community_triggers.application_date': WHEN,
  'community_triggers.status': CODES,
  'community_triggers.decided_on': WHEN,
  'community_triggers.review_date': WHEN,
  'community_triggers.created_at': WHEN,
  'community_trigger_incidents.date': WHEN,
  'community_trigger_recommendations.due': WHEN,
  'partnership_activities.kind': CODES,
  'partnership_activities.date': WHEN,
  'partnership_activities.created_at': WHEN,
  'retention_schedule.record_type': CODES,
  'retention_schedule.ending': CODES,
  'retention_schedule.updated_at': WHEN,
  'retention_decisions.decision': CODES,
  'retention_decisions.review_on': WHEN,
  'retention_decisions.decided_at': WHEN,
  'pseudonymised_people.at': WHEN,
  'erasures.kind': CODES,
  'erasures.pseudonym': 'the pseudonym itself',
  'erasures.counts': IDS,
  'erasures.at': WHEN,
  'sealed_deletions.table_name': CODES,
  'sealed_deletions.key': IDS,
};

/** The closed database's text columns that hold no typed words (src/store/closed-migrations). */
const CLOSED_NOT_FREE_TEXT: Readonly<Record<string, string>> = {
  'closed_meta.key': 'a setting name',
  'closed_meta.value': 'the store id',
};

/** The full-text tables and their shadow tables follow the rows they index through triggers (003, 011). */
const isSearchIndex = (table: string) => /_fts(_data|_idx|_content|_docsize|_config)?$/.test(table);

async function textColumns(migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  const db = await Database.open(join(tempDir('erasure-coverage-'), 'schema.db'), 'create');
  try {
    await db.exec(rawKeyPragma(randomBytes(32)));
    await migrate(db, migrations);
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    const out: string[] = [];
    for (const { name } of tables) {
      if (isSearchIndex(name)) continue;
      for (const column of await db.all<{ name: string; type: string }>(`SELECT name, type FROM pragma_table_info(?)`, [name]))
        if (column.type.toUpperCase() === 'TEXT') out.push(`${name}.${column.name}`);
    }
    return out;
  } finally {
    await db.close();
  }
}

describe('erasure coverage of the schema', () => {
  it("every TEXT column is either rewritten by an erasure or named with why it holds no one's identifiers", async () => {
    const rewritten = new Set([
      ...FREE_TEXT.flatMap((t) => [...t.columns, ...(t.json ?? [])].map((c) => `${t.table}.${c}`)),
      ...FREE_TEXT_ELSEWHERE.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)),
    ]);
    const columns = await textColumns();
    // The walk found the schema (and so can fail).
    expect(columns).toContain('case_notes.body');
    expect(columns.filter((c) => !rewritten.has(c) && !(c in NOT_FREE_TEXT))).toEqual([]);
    // Both lists name only columns that exist, and no column is in both.
    expect([...rewritten].filter((c) => !columns.includes(c))).toEqual([]);
    expect(Object.keys(NOT_FREE_TEXT).filter((c) => !columns.includes(c))).toEqual([]);
    expect([...rewritten].filter((c) => c in NOT_FREE_TEXT)).toEqual([]);
  });

  it('every TEXT column of the closed database is the sealed content of a column the erasure rewrites, or holds no words', async () => {
    // The erasure reads and rewrites a sealed row through its merged view after unsealing it, so a closed
    // column is reached exactly when the open-store column it holds the content of is rewritten.
    const rewritten = new Set<string>([
      ...FREE_TEXT.flatMap((t) => [...t.columns, ...(t.json ?? [])].map((c) => `${t.table}.${c}`)),
      ...FREE_TEXT_ELSEWHERE.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)),
    ]);
    const heldFor = new Map(
      SEALED_TABLES.flatMap((t) => t.columns.map((c) => [`${t.closedTable}.${c.name}`, `${t.table}.${c.name}`] as [string, string])),
    );
    const columns = await textColumns(CLOSED_MIGRATIONS);
    expect(columns).toContain('closed_case_notes.body');
    // A sealed column whose open-store column holds no one else's identifiers (a person's own name, deleted
    // with them) is dropped from the closed database with its row (sealed_deletions), for the same reason.
    const reached = (open: string) => rewritten.has(open) || open in NOT_FREE_TEXT;
    const unreached = columns.filter((c) => !(c in CLOSED_NOT_FREE_TEXT) && !reached(heldFor.get(c) ?? ''));
    expect(unreached).toEqual([]);
  });
});
