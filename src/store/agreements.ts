// The SQL of agreements: template versions, drafts, the one write that seals a draft, terminations, and
// the store setting that switches enforcement on. Rows are mapped to plain objects here; statuses are
// read from them by src/domain/agreements.ts, so SQL and screen never hold two copies of the rule.
import type { AgreementKind } from '../domain/agreements.js';
import type { ExpectationRow, TemplateContent } from '../domain/agreement-templates.js';
import type { Sql } from '../vault/database.js';
import { sql as q, sqlAnd, sqlAssignments, sqlInsertColumns, type SqlQuery } from './sql.js';

// ── templates ─────────────────────────────────────────────────────────────────────────────────────────

interface TemplateRow {
  id: number;
  kind: AgreementKind;
  version: number;
  content: string;
  created_at: string;
  created_by_name: string | null;
  latest_version: number;
}

export interface StoredTemplate {
  id: number;
  kind: AgreementKind;
  version: number;
  latest: boolean;
  content: TemplateContent;
  createdAt: string;
  createdBy: string | null;
}

const templateSelect = q`
  SELECT t.id, t.kind, t.version, t.content, t.created_at, u.display_name AS created_by_name,
    (SELECT max(version) FROM agreement_templates WHERE kind = t.kind) AS latest_version
  FROM agreement_templates t LEFT JOIN users u ON u.id = t.created_by`;

function toTemplate(row: TemplateRow): StoredTemplate {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    latest: row.version === row.latest_version,
    content: JSON.parse(row.content) as TemplateContent,
    createdAt: row.created_at,
    createdBy: row.created_by_name,
  };
}

export async function listTemplates(sql: Sql, kind?: AgreementKind): Promise<StoredTemplate[]> {
  const rows = await sql.all<TemplateRow>(q`${templateSelect} WHERE ${kind ? q`t.kind = ${kind}` : q`1`} ORDER BY t.kind, t.version DESC`);
  return rows.map(toTemplate);
}

/** A version of a template; the latest when `version` is undefined. */
export async function findTemplate(sql: Sql, kind: AgreementKind, version?: number): Promise<StoredTemplate | undefined> {
  const which =
    version === undefined ? q`t.version = (SELECT max(version) FROM agreement_templates WHERE kind = t.kind)` : q`t.version = ${version}`;
  const row = await sql.get<TemplateRow>(q`${templateSelect} WHERE t.kind = ${kind} AND ${which}`);
  return row && toTemplate(row);
}

export async function findTemplateById(sql: Sql, id: number): Promise<StoredTemplate | undefined> {
  const row = await sql.get<TemplateRow>(q`${templateSelect} WHERE t.id = ${id}`);
  return row && toTemplate(row);
}

export async function insertTemplate(
  sql: Sql,
  kind: AgreementKind,
  version: number,
  content: TemplateContent,
  at: string,
  userId: number | null,
): Promise<number> {
  const { lastID } = await sql.run(
    q`INSERT INTO agreement_templates ${sqlInsertColumns({ kind, version, content: JSON.stringify(content), created_at: at, created_by: userId })}`,
  );
  return lastID;
}

// ── agreements ────────────────────────────────────────────────────────────────────────────────────────

interface AgreementRow {
  id: number;
  organisation_id: number;
  organisation: string;
  kind: AgreementKind;
  version: number;
  template_id: number;
  template_version: number;
  group_name: string;
  partner_type: string | null;
  expectations: string;
  supersedes_id: number | null;
  created_at: string;
  signed_at: string | null;
  review_date: string | null;
  valid_until: string | null;
  sealed: string | null;
  hash: string | null;
  recorded_by_name: string | null;
  terminated_at: string | null;
  termination_reason: string | null;
  superseded_by: number | null;
}

export interface StoredAgreement {
  id: number;
  organisationId: number;
  organisation: string;
  kind: AgreementKind;
  version: number;
  templateId: number;
  templateVersion: number;
  groupName: string;
  partnerType: string | null;
  expectations: ExpectationRow[];
  supersedes: number | null;
  createdAt: string;
  signedAt: string | null;
  reviewDate: string | null;
  validUntil: string | null;
  /** The canonical JSON that was hashed at signing, exactly as stored. */
  sealed: string | null;
  hash: string | null;
  recordedBy: string | null;
  terminatedAt: string | null;
  terminationReason: string | null;
  supersededBy: number | null;
}

// Superseded: the earliest later-signed agreement of the same organisation and kind.
const agreementSelect = q`
  SELECT a.id, a.organisation_id, o.name AS organisation, a.kind, a.version, a.template_id, t.version AS template_version,
    a.group_name, a.partner_type, a.expectations, a.supersedes_id, a.created_at, a.signed_at, a.review_date, a.valid_until,
    a.sealed, a.hash, u.display_name AS recorded_by_name, x.at AS terminated_at, x.reason AS termination_reason,
    (SELECT b.id FROM agreements b WHERE b.organisation_id = a.organisation_id AND b.kind = a.kind AND b.signed_at IS NOT NULL
       AND a.signed_at IS NOT NULL AND (b.signed_at > a.signed_at OR (b.signed_at = a.signed_at AND b.id > a.id))
     ORDER BY b.signed_at, b.id LIMIT 1) AS superseded_by
  FROM agreements a
  JOIN organisations o ON o.id = a.organisation_id
  JOIN agreement_templates t ON t.id = a.template_id
  LEFT JOIN users u ON u.id = a.recorded_by
  LEFT JOIN agreement_terminations x ON x.agreement_id = a.id`;

function toAgreement(row: AgreementRow): StoredAgreement {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisation: row.organisation,
    kind: row.kind,
    version: row.version,
    templateId: row.template_id,
    templateVersion: row.template_version,
    groupName: row.group_name,
    partnerType: row.partner_type,
    expectations: JSON.parse(row.expectations) as ExpectationRow[],
    supersedes: row.supersedes_id,
    createdAt: row.created_at,
    signedAt: row.signed_at,
    reviewDate: row.review_date,
    validUntil: row.valid_until,
    sealed: row.sealed,
    hash: row.hash,
    recordedBy: row.recorded_by_name,
    terminatedAt: row.terminated_at,
    terminationReason: row.termination_reason,
    supersededBy: row.superseded_by,
  };
}

export async function findAgreement(sql: Sql, id: number): Promise<StoredAgreement | undefined> {
  const row = await sql.get<AgreementRow>(q`${agreementSelect} WHERE a.id = ${id}`);
  return row && toAgreement(row);
}

export interface AgreementFilter {
  organisationId?: number | undefined;
  kind?: AgreementKind | undefined;
  signedOnly?: boolean;
}

export async function listAgreements(sql: Sql, filter: AgreementFilter = {}): Promise<StoredAgreement[]> {
  const conditions: SqlQuery[] = [];
  if (filter.organisationId !== undefined) conditions.push(q`a.organisation_id = ${filter.organisationId}`);
  if (filter.kind !== undefined) conditions.push(q`a.kind = ${filter.kind}`);
  if (filter.signedOnly) conditions.push(q`a.signed_at IS NOT NULL`);
  const rows = await sql.all<AgreementRow>(
    q`${agreementSelect} WHERE ${sqlAnd(conditions)} ORDER BY o.name COLLATE NOCASE, a.kind, a.version DESC`,
  );
  return rows.map(toAgreement);
}

export async function findOpenDraft(sql: Sql, organisationId: number, kind: AgreementKind): Promise<number | undefined> {
  const row = await sql.get<{ id: number }>(
    q`SELECT id FROM agreements WHERE organisation_id = ${organisationId} AND kind = ${kind} AND signed_at IS NULL`,
  );
  return row?.id;
}

export async function nextAgreementVersion(sql: Sql, organisationId: number, kind: AgreementKind): Promise<number> {
  const row = await sql.get<{ v: number }>(
    q`SELECT coalesce(max(version), 0) + 1 AS v FROM agreements WHERE organisation_id = ${organisationId} AND kind = ${kind}`,
  );
  return row!.v;
}

export interface NewDraft {
  organisationId: number;
  kind: AgreementKind;
  version: number;
  templateId: number;
  groupName: string;
  partnerType: string | null;
  expectations: readonly ExpectationRow[];
  supersedes: number | null;
  at: string;
  userId: number;
}

export async function insertDraft(sql: Sql, draft: NewDraft): Promise<number> {
  const { lastID } = await sql.run(
    q`INSERT INTO agreements ${sqlInsertColumns({
      organisation_id: draft.organisationId,
      kind: draft.kind,
      version: draft.version,
      template_id: draft.templateId,
      group_name: draft.groupName,
      partner_type: draft.partnerType,
      expectations: JSON.stringify(draft.expectations),
      supersedes_id: draft.supersedes,
      created_at: draft.at,
      created_by: draft.userId,
      updated_at: draft.at,
    })}`,
  );
  return lastID;
}

export async function updateDraft(
  sql: Sql,
  id: number,
  changes: { groupName?: string; partnerType?: string | null; expectations?: readonly ExpectationRow[] },
  at: string,
): Promise<void> {
  const columns: Record<string, string | null> = { updated_at: at };
  if (changes.groupName !== undefined) columns.group_name = changes.groupName;
  if (changes.partnerType !== undefined) columns.partner_type = changes.partnerType;
  if (changes.expectations !== undefined) columns.expectations = JSON.stringify(changes.expectations);
  await sql.run(q`UPDATE agreements SET ${sqlAssignments(columns)} WHERE id = ${id} AND signed_at IS NULL`);
}

export interface Seal {
  signedAt: string;
  signedOn: string;
  reviewDate: string;
  validUntil: string;
  sealed: string;
  hash: string;
  recordedBy: number;
}

/** The one write to a draft that makes it signed; after it, the triggers refuse any change to the row. */
export async function sealAgreement(sql: Sql, id: number, seal: Seal): Promise<boolean> {
  const { changes } = await sql.run(
    q`UPDATE agreements SET ${sqlAssignments({
      signed_at: seal.signedAt,
      signed_on: seal.signedOn,
      review_date: seal.reviewDate,
      valid_until: seal.validUntil,
      sealed: seal.sealed,
      hash: seal.hash,
      recorded_by: seal.recordedBy,
      updated_at: seal.signedAt,
    })} WHERE id = ${id} AND signed_at IS NULL`,
  );
  return changes === 1;
}

export async function insertTermination(sql: Sql, agreementId: number, at: string, reason: string, userId: number): Promise<void> {
  await sql.run(q`INSERT INTO agreement_terminations ${sqlInsertColumns({ agreement_id: agreementId, at, reason, by_user: userId })}`);
}

// ── organisations and the setting ─────────────────────────────────────────────────────────────────────

export async function listOrganisations(sql: Sql): Promise<{ id: number; name: string; statutory: boolean }[]> {
  const rows = await sql.all<{ id: number; name: string; statutory: number }>(
    q`SELECT id, name, statutory FROM organisations ORDER BY name COLLATE NOCASE`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, statutory: r.statutory === 1 }));
}

export async function findOrganisation(sql: Sql, id: number): Promise<{ id: number; name: string } | undefined> {
  return sql.get<{ id: number; name: string }>(q`SELECT id, name FROM organisations WHERE id = ${id}`);
}

const ENFORCED_KEY = 'agreements.enforced';

export async function agreementsEnforced(sql: Sql): Promise<boolean> {
  const row = await sql.get<{ value: string }>(q`SELECT value FROM meta WHERE key = ${ENFORCED_KEY}`);
  return row?.value === 'true';
}

export async function setAgreementsEnforced(sql: Sql, enabled: boolean): Promise<void> {
  await sql.run(
    q`INSERT INTO meta (key, value) VALUES (${ENFORCED_KEY}, ${String(enabled)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
}
