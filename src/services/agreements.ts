// Agreements: templates and their versions, drafts, signing and sealing, termination, review lists,
// the signed PDF; and the gate the dispatcher asks before any case or meeting operation.
//
// Enforcement is a store setting, off until a manager turns it on (agreements.setEnforcement). A
// partnership moving to Concordat has its agreements on paper: it needs the store working while it
// collects signatures in the room, and then a clear moment from which no unsigned organisation sees
// case work. Agreement and administration operations are never gated, so a manager can always sign
// their own organisation's agreements (managers are members too, and are gated like everyone else).
import { createHash } from 'node:crypto';
import { ConcordatError } from '../contract/errors.js';
import type { User } from '../contract/common.js';
import { requiredAgreements, type OperationDefinition } from '../contract/operation.js';
import type { AgreementDetail, AgreementSummary, TemplateOutput } from '../contract/ops/agreements.js';
import { auditHead, findEntriesByFileHash } from '../audit/log.js';
import {
  AGREEMENT_KINDS,
  AGREEMENT_KIND_LABELS,
  agreementStatus,
  canonicalJson,
  fillTemplateText,
  isDueForReviewWithin,
  isInForce,
  signatureProblem,
  termDates,
  type AgreementKind,
  type Signature,
} from '../domain/agreements.js';
import { DEFAULT_TEMPLATES, expectationsFor, type ExpectationRow, type TemplateContent } from '../domain/agreement-templates.js';
import { localToday } from '../domain/risk.js';
import * as store from '../store/agreements.js';
import type { StoredAgreement, StoredTemplate } from '../store/agreements.js';
import type { Sql } from '../vault/database.js';
import { renderAgreementPdf } from '../export/agreement-pdf-runner.js';
import type { Handler } from './types.js';

// ── templates ─────────────────────────────────────────────────────────────────────────────────────────

/** Writes the shipped version 1 of any template the store does not have yet. */
async function ensureTemplates(sql: Sql): Promise<void> {
  for (const kind of AGREEMENT_KINDS) {
    if (!(await store.findTemplate(sql, kind)))
      await store.insertTemplate(sql, kind, 1, DEFAULT_TEMPLATES[kind], new Date().toISOString(), null);
  }
}

function templateOutput(t: StoredTemplate): TemplateOutput {
  return {
    id: t.id,
    kind: t.kind,
    version: t.version,
    latest: t.latest,
    content: t.content,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
  };
}

export const listTemplates: Handler<'agreements.templates.list'> = async ({ sql, note }, input) => {
  await ensureTemplates(sql);
  const templates = await store.listTemplates(sql, input.kind);
  note({ details: { returned: templates.length } });
  return { templates: templates.map(templateOutput) };
};

export const getTemplate: Handler<'agreements.templates.get'> = async ({ sql, note }, input) => {
  await ensureTemplates(sql);
  const template = await store.findTemplate(sql, input.kind, input.version);
  if (!template)
    throw new ConcordatError(
      'NOT_FOUND',
      `There is no version ${input.version} of the ${AGREEMENT_KIND_LABELS[input.kind].toLowerCase()} template.`,
      { field: 'version' },
    );
  note({ entityId: template.id });
  return { template: templateOutput(template) };
};

export const editTemplate: Handler<'agreements.templates.edit'> = async ({ sql, session, note }, input) => {
  await ensureTemplates(sql);
  const latest = (await store.findTemplate(sql, input.kind))!;
  if (input.basedOnVersion !== latest.version) {
    throw new ConcordatError(
      'CONFLICT',
      `The template has changed since you opened it (now version ${latest.version}): reopen it and make your edit again.`,
      { field: 'basedOnVersion' },
    );
  }
  const id = await store.insertTemplate(sql, input.kind, latest.version + 1, input.content, new Date().toISOString(), session.user.id);
  note({ entityId: id, details: { kind: input.kind, version: latest.version + 1 } });
  return { template: templateOutput((await store.findTemplateById(sql, id))!) };
};

// ── what a signed agreement holds ─────────────────────────────────────────────────────────────────────

interface SealedSigner {
  name: string;
  role: string;
  organisation: string | null;
  signature: Signature;
}

/** The document the seal is computed over: everything that was agreed, who signed it, and when. */
interface SealedDocument {
  format: 'concordat-agreement/1';
  agreement: { id: number; kind: AgreementKind; version: number; supersedes: number | null };
  organisation: { id: number; name: string };
  template: { id: number; version: number };
  groupName: string;
  partnerType: string | null;
  content: { title: string; sections: { heading: string; body: string }[]; expectations: ExpectationRow[]; statement: string };
  signatory: SealedSigner;
  witness: SealedSigner;
  signedAt: string;
  reviewDate: string;
  validUntil: string;
  recordedBy: { userId: number; username: string };
}

export function sealHash(sealed: string): string {
  return createHash('sha256').update(sealed, 'utf8').digest('hex');
}

function filledContent(template: TemplateContent, groupName: string, expectations: ExpectationRow[]): SealedDocument['content'] {
  return {
    title: template.title,
    sections: template.sections.map((s) => ({ heading: s.heading, body: fillTemplateText(s.body, groupName) })),
    expectations,
    statement: fillTemplateText(template.statement, groupName),
  };
}

function signerOutput(signer: SealedSigner): NonNullable<AgreementDetail['witness']> {
  const drawn = signer.signature.method === 'drawn' ? signer.signature : null;
  return {
    name: signer.name,
    role: signer.role,
    organisation: signer.organisation,
    method: signer.signature.method,
    png: drawn?.png ?? null,
    typedName: signer.signature.method === 'typed' ? signer.signature.typedName : null,
    points: drawn ? drawn.strokes.reduce((n, s) => n + s.points.length, 0) : 0,
  };
}

function summary(a: StoredAgreement, today: string): AgreementSummary {
  const sealed = a.sealed ? (JSON.parse(a.sealed) as SealedDocument) : null;
  return {
    id: a.id,
    organisationId: a.organisationId,
    organisation: a.organisation,
    kind: a.kind,
    version: a.version,
    status: agreementStatus(a, today),
    templateVersion: a.templateVersion,
    createdAt: a.createdAt,
    signedAt: a.signedAt,
    reviewDate: a.reviewDate,
    validUntil: a.validUntil,
    hash: a.hash,
    signatory: sealed?.signatory.name ?? null,
    terminatedAt: a.terminatedAt,
    terminationReason: a.terminationReason,
    supersedes: a.supersedes,
    supersededBy: a.supersededBy,
  };
}

async function detail(sql: Sql, a: StoredAgreement, today = localToday()): Promise<AgreementDetail> {
  const base = summary(a, today);
  if (a.sealed) {
    const doc = JSON.parse(a.sealed) as SealedDocument;
    return {
      ...base,
      templateId: doc.template.id,
      groupName: doc.groupName,
      partnerType: doc.partnerType,
      ...doc.content,
      signatory: signerOutput(doc.signatory),
      witness: signerOutput(doc.witness),
      recordedBy: a.recordedBy,
      hashVerified: sealHash(a.sealed) === a.hash,
    };
  }
  const template = (await store.findTemplateById(sql, a.templateId))!;
  return {
    ...base,
    templateId: a.templateId,
    groupName: a.groupName,
    partnerType: a.partnerType,
    ...filledContent(template.content, a.groupName, a.expectations),
    signatory: null,
    witness: null,
    recordedBy: null,
    hashVerified: null,
  };
}

async function mustFind(sql: Sql, id: number): Promise<StoredAgreement> {
  const found = await store.findAgreement(sql, id);
  if (!found) throw new ConcordatError('NOT_FOUND', `There is no agreement ${id}.`, { field: 'agreementId' });
  return found;
}

async function mustBeDraft(sql: Sql, id: number): Promise<StoredAgreement> {
  const found = await mustFind(sql, id);
  if (found.signedAt)
    throw new ConcordatError('CONFLICT', 'This agreement is signed and can no longer change: make a new version and sign that.', {
      field: 'agreementId',
    });
  return found;
}

async function refuseSecondDraft(sql: Sql, organisationId: number, kind: AgreementKind, field: string): Promise<void> {
  const open = await store.findOpenDraft(sql, organisationId, kind);
  if (open !== undefined)
    throw new ConcordatError(
      'CONFLICT',
      `This organisation already has a draft ${AGREEMENT_KIND_LABELS[kind].toLowerCase()} (number ${open}): finish or change that one.`,
      { field, details: { draftId: open } },
    );
}

// ── drafts ────────────────────────────────────────────────────────────────────────────────────────────

export const draft: Handler<'agreements.draft'> = async ({ sql, session, note }, input) => {
  await ensureTemplates(sql);
  const organisation = await store.findOrganisation(sql, input.organisationId);
  if (!organisation)
    throw new ConcordatError('NOT_FOUND', `There is no organisation ${input.organisationId}.`, { field: 'organisationId' });
  await refuseSecondDraft(sql, organisation.id, input.kind, 'organisationId');
  const template = (await store.findTemplate(sql, input.kind))!;
  const id = await store.insertDraft(sql, {
    organisationId: organisation.id,
    kind: input.kind,
    version: await store.nextAgreementVersion(sql, organisation.id, input.kind),
    templateId: template.id,
    groupName: input.groupName,
    partnerType: input.partnerType,
    expectations: input.expectations ?? expectationsFor(template.content, input.partnerType),
    supersedes: null,
    at: new Date().toISOString(),
    userId: session.user.id,
  });
  note({ entityId: id, details: { organisationId: organisation.id, kind: input.kind, templateVersion: template.version } });
  return { agreement: await detail(sql, (await store.findAgreement(sql, id))!) };
};

export const updateDraft: Handler<'agreements.updateDraft'> = async ({ sql, note }, input) => {
  const found = await mustBeDraft(sql, input.agreementId);
  const changes: Parameters<typeof store.updateDraft>[2] = {};
  if (input.groupName !== undefined) changes.groupName = input.groupName;
  if (input.partnerType !== undefined) changes.partnerType = input.partnerType;
  if (input.expectations !== undefined) changes.expectations = input.expectations;
  else if (input.partnerType !== undefined && input.partnerType !== found.partnerType) {
    // A new partner type brings its own pre-filled rows, unless the caller sent rows of their own.
    changes.expectations = expectationsFor((await store.findTemplateById(sql, found.templateId))!.content, input.partnerType);
  }
  await store.updateDraft(sql, found.id, changes, new Date().toISOString());
  note({ entityId: found.id, details: { fields: Object.keys(changes).sort() } });
  return { agreement: await detail(sql, (await store.findAgreement(sql, found.id))!) };
};

export const newVersion: Handler<'agreements.newVersion'> = async ({ sql, session, note }, input) => {
  const source = await mustFind(sql, input.agreementId);
  if (!source.signedAt)
    throw new ConcordatError('CONFLICT', 'This agreement is still a draft: change it instead of making a new version.', {
      field: 'agreementId',
    });
  await refuseSecondDraft(sql, source.organisationId, source.kind, 'agreementId');
  await ensureTemplates(sql);
  const template = (await store.findTemplate(sql, source.kind))!;
  const doc = JSON.parse(source.sealed!) as SealedDocument;
  const id = await store.insertDraft(sql, {
    organisationId: source.organisationId,
    kind: source.kind,
    version: await store.nextAgreementVersion(sql, source.organisationId, source.kind),
    templateId: template.id,
    groupName: doc.groupName,
    partnerType: doc.partnerType,
    expectations: doc.content.expectations,
    supersedes: source.id,
    at: new Date().toISOString(),
    userId: session.user.id,
  });
  note({ entityId: id, details: { supersedes: source.id, templateVersion: template.version } });
  return { agreement: await detail(sql, (await store.findAgreement(sql, id))!) };
};

// ── reading ───────────────────────────────────────────────────────────────────────────────────────────

export const get: Handler<'agreements.get'> = async ({ sql, note }, input) => {
  const found = await mustFind(sql, input.agreementId);
  note({ entityId: found.id });
  return { agreement: await detail(sql, found) };
};

export const list: Handler<'agreements.list'> = async ({ sql, note }, input) => {
  const today = input.asOf ?? localToday();
  const rows = await store.listAgreements(sql, { organisationId: input.organisationId });
  note({
    ...(input.organisationId === undefined ? {} : { entityType: 'organisation', entityId: input.organisationId }),
    details: { returned: rows.length },
  });
  return { agreements: rows.map((a) => summary(a, today)) };
};

export const overview: Handler<'agreements.overview'> = async ({ sql, note }, input) => {
  const today = input.asOf ?? localToday();
  const signed = await store.listAgreements(sql, { signedOnly: true });
  const dueForReview = signed
    .filter((a) => isDueForReviewWithin(a, today, input.withinDays))
    .map((a) => summary(a, today))
    .sort((a, b) => (a.reviewDate ?? '').localeCompare(b.reviewDate ?? '') || a.organisation.localeCompare(b.organisation));
  const inForce = new Set(signed.filter((a) => isInForce(agreementStatus(a, today))).map((a) => `${a.organisationId}:${a.kind}`));
  const missing = (await store.listOrganisations(sql))
    .map((o) => ({
      organisationId: o.id,
      organisation: o.name,
      statutory: o.statutory,
      kinds: AGREEMENT_KINDS.filter((k) => !inForce.has(`${o.id}:${k}`)),
    }))
    .filter((o) => o.kinds.length > 0);
  note({ details: { dueForReview: dueForReview.length, missing: missing.length, withinDays: input.withinDays } });
  return {
    enforced: await store.agreementsEnforced(sql),
    asOf: today,
    dueForReview,
    missing: missing.map((m) => ({ ...m, kinds: [...m.kinds] })),
  };
};

// ── signing ───────────────────────────────────────────────────────────────────────────────────────────

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function checkSigner(signer: { name: string; signature: Signature }, field: 'signatory' | 'witness'): void {
  const problem = signatureProblem(signer.signature, signer.name);
  if (problem)
    throw new ConcordatError('VALIDATION', `${field === 'signatory' ? 'Signatory' : 'Witness'}: ${problem}.`, {
      field: `${field}.signature`,
    });
  if (signer.signature.method === 'drawn') {
    const bytes = Buffer.from(signer.signature.png.slice(signer.signature.png.indexOf(',') + 1), 'base64');
    if (bytes.length < 60 || !bytes.subarray(0, 8).equals(PNG_MAGIC)) {
      throw new ConcordatError(
        'VALIDATION',
        `${field === 'signatory' ? 'Signatory' : 'Witness'}: the signature image is not a PNG: clear the box and sign again.`,
        { field: `${field}.signature.png` },
      );
    }
  }
}

export const sign: Handler<'agreements.sign'> = async ({ sql, session, note }, input) => {
  const found = await mustBeDraft(sql, input.agreementId);
  checkSigner(input.signatory, 'signatory');
  checkSigner(input.witness, 'witness');
  if (input.witness.name.trim().toLowerCase() === input.signatory.name.trim().toLowerCase()) {
    throw new ConcordatError('VALIDATION', 'The witness must be someone other than the signatory.', { field: 'witness.name' });
  }
  const template = (await store.findTemplateById(sql, found.templateId))!;
  const now = new Date();
  const signedAt = now.toISOString();
  const signedOn = localToday(now);
  const { reviewDate, validUntil } = termDates(signedOn, template.content.reviewAfterMonths, template.content.validForMonths);
  const doc: SealedDocument = {
    format: 'concordat-agreement/1',
    agreement: { id: found.id, kind: found.kind, version: found.version, supersedes: found.supersedes },
    organisation: { id: found.organisationId, name: found.organisation },
    template: { id: template.id, version: template.version },
    groupName: found.groupName,
    partnerType: found.partnerType,
    content: filledContent(template.content, found.groupName, found.expectations),
    signatory: {
      name: input.signatory.name,
      role: input.signatory.role,
      organisation: found.organisation,
      signature: input.signatory.signature,
    },
    witness: { name: input.witness.name, role: input.witness.role, organisation: null, signature: input.witness.signature },
    signedAt,
    reviewDate,
    validUntil,
    recordedBy: { userId: session.user.id, username: session.user.username },
  };
  const sealed = canonicalJson(doc);
  const hash = sealHash(sealed);
  if (
    !(await store.sealAgreement(sql, found.id, { signedAt, signedOn, reviewDate, validUntil, sealed, hash, recordedBy: session.user.id }))
  ) {
    throw new ConcordatError('CONFLICT', 'This agreement was signed a moment ago by another call.', { field: 'agreementId' });
  }
  note({
    entityId: found.id,
    details: {
      hash,
      organisationId: found.organisationId,
      kind: found.kind,
      version: found.version,
      signatory: input.signatory.signature.method,
      witness: input.witness.signature.method,
    },
  });
  return { agreement: await detail(sql, (await store.findAgreement(sql, found.id))!) };
};

export const terminate: Handler<'agreements.terminate'> = async ({ sql, session, note }, input) => {
  const found = await mustFind(sql, input.agreementId);
  const status = agreementStatus(found, localToday());
  if (!isInForce(status))
    throw new ConcordatError('CONFLICT', `Only an agreement in force can be terminated; this one is ${status.replace(/_/g, ' ')}.`, {
      field: 'agreementId',
    });
  await store.insertTermination(sql, found.id, new Date().toISOString(), input.reason, session.user.id);
  note({ entityId: found.id, details: { organisationId: found.organisationId, kind: found.kind } });
  return { agreement: await detail(sql, (await store.findAgreement(sql, found.id))!) };
};

// ── the signed PDF and checking a document ────────────────────────────────────────────────────────────

export const exportPdf: Handler<'agreements.exportPdf'> = async ({ sql, note }, input) => {
  const found = await mustFind(sql, input.agreementId);
  if (!found.signedAt) throw new ConcordatError('CONFLICT', 'Only a signed agreement can be exported.', { field: 'agreementId' });
  const agreement = await detail(sql, found);
  const head = await auditHead(sql);
  const pdf = await renderAgreementPdf({ ...agreement, ...(head ? { auditHead: `${head.seq}:${head.hash}` } : {}) });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  note({
    entityId: found.id,
    recipients: input.recipients,
    details: { sha256, documentHash: found.hash, format: 'pdf', bytes: pdf.length, auditHead: head?.seq ?? null },
  });
  const slug =
    found.organisation
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'organisation';
  return {
    filename: `${found.kind.replace('_', '-')}-agreement-${slug}-v${found.version}.pdf`,
    pdfBase64: pdf.toString('base64'),
    sha256,
    bytes: pdf.length,
    auditHead: head,
  };
};

export const verifyDocument: Handler<'documents.verify'> = async ({ sql, note }, input) => {
  const rows = await findEntriesByFileHash(sql, input.sha256);
  note({ details: { sha256: input.sha256, matches: rows.map((r) => r.seq) } });
  return {
    matches: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      username: r.username,
      operation: r.operation,
      entityType: r.entity_type,
      entityId: r.entity_id,
      recipients: JSON.parse(r.recipients) as string[],
    })),
  };
};

// ── enforcement ───────────────────────────────────────────────────────────────────────────────────────

export const setEnforcement: Handler<'agreements.setEnforcement'> = async ({ sql, note }, input) => {
  const before = await store.agreementsEnforced(sql);
  await store.setAgreementsEnforced(sql, input.enabled);
  note({ details: { before, after: input.enabled } });
  return { enforced: input.enabled };
};

/**
 * Whether an organisation has a signed agreement of `kind` in force on `today` (signed, not terminated,
 * not superseded, not expired; past its review date still counts). The meeting admission check uses it.
 */
export async function hasCurrentAgreement(sql: Sql, organisationId: number, kind: AgreementKind, today = localToday()): Promise<boolean> {
  const signed = await store.listAgreements(sql, { organisationId, kind, signedOnly: true });
  return signed.some((a) => isInForce(agreementStatus(a, today)));
}

const WHAT_IT_OPENS: Readonly<Record<AgreementKind, string>> = {
  membership: 'case and meeting work is closed to it',
  information_sharing: 'case details are closed to it',
};

/**
 * The dispatcher's one question before a gated operation: null when the caller may go on, else the
 * refusal naming the missing agreement and who can fix it.
 */
export async function agreementGate(
  sql: Sql,
  user: User,
  operation: string,
  definition: OperationDefinition,
  today = localToday(),
): Promise<ConcordatError | null> {
  const needed = requiredAgreements(operation, definition);
  if (needed.length === 0 || !(await store.agreementsEnforced(sql))) return null;
  for (const kind of needed) {
    if (await hasCurrentAgreement(sql, user.organisationId, kind, today)) continue;
    return new ConcordatError(
      'AGREEMENT_REQUIRED',
      `Your organisation (${user.organisation}) has no current signed ${AGREEMENT_KIND_LABELS[kind].toLowerCase()}, so ${WHAT_IT_OPENS[kind]}. The partnership manager can arrange for it to be signed.`,
      { details: { missing: kind, organisationId: user.organisationId } },
    );
  }
  return null;
}
