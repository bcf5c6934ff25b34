// Agreements on a real store: templates and their versions, signing and sealing, the seal across a lock,
// every way of altering a signed agreement refused (through the service, by SQL on the app's connection,
// and by SQL on a fresh connection to the SQLCipher file), new versions, termination, review and expiry
// at their boundaries, and signatures that must be refused.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { addMonths } from '../../src/domain/agreements.js';
import { addDays, localToday } from '../../src/domain/risk.js';
import { hasCurrentAgreement } from '../../src/services/agreements.js';
import { MANAGER, call, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { GROUP, SIGNATORY, WITNESS, drawn, scrawl, typed } from '../support/signatures.js';
import { openRaw, rawKeyOf } from '../vault/raw.js';

async function signedAgreement(host: Host, organisationId: number, kind: 'membership' | 'information_sharing' = 'membership') {
  const { agreement: draft } = await call(host, 'agreements.draft', {
    organisationId,
    kind,
    groupName: GROUP,
    partnerType: kind === 'membership' ? 'police_neighbourhoods' : null,
  });
  const { agreement } = await call(host, 'agreements.sign', {
    agreementId: draft.id,
    signatory: { ...SIGNATORY, signature: drawn() },
    witness: { ...WITNESS, signature: typed(WITNESS.name) },
  });
  return agreement;
}

async function auditEntries(host: Host, operation: string) {
  return host.vault!.db.all<{ seq: number; outcome: string; error_code: string | null; details: string; entity_id: string | null }>(
    'SELECT seq, outcome, error_code, details, entity_id FROM audit_log WHERE operation = ? ORDER BY seq',
    [operation],
  );
}

describe('agreement templates', () => {
  it('ships both templates as version 1: the membership agreement with its expectations table and statement', async () => {
    const { host } = await partnershipStore(newHost());
    const { templates } = await call(host, 'agreements.templates.list', {});
    expect(templates.map((t) => [t.kind, t.version, t.latest])).toEqual([
      ['information_sharing', 1, true],
      ['membership', 1, true],
    ]);
    const membership = templates.find((t) => t.kind === 'membership')!;
    expect(membership.content.statement).toBe(
      'I agree to support and deliver the priorities of the {group} and to honour the expectations stated above.',
    );
    expect(new Set(membership.content.expectations.map((r) => r.partnerType)).size).toBe(15);
    expect(membership.content.expectations.find((r) => r.partnerType === 'police_neighbourhoods')).toMatchObject({
      partner: 'Police',
      department: 'Neighbourhoods',
      officerLevel: 'Chief Inspector',
    });
    const sharing = templates.find((t) => t.kind === 'information_sharing')!;
    const headings = sharing.content.sections.map((s) => s.heading);
    for (const h of [
      'Purpose',
      'Organisations and contacts',
      'Data items',
      'Lawful basis and conditions',
      'How data is shared and kept secure',
      'Accuracy',
      'Retention and disposal',
      "Individuals' rights",
      'Security incidents',
      'Review',
      'Termination',
    ])
      expect(headings).toContain(h);
    expect(sharing.content.sections.find((s) => s.heading === 'Lawful basis and conditions')!.body).toMatch(
      /Crime and Disorder Act 1998.*6\(1\)\(e\).*Schedule 1.*Article 10/s,
    );
  });

  it('an edit makes a new version; a stale edit is refused; drafts keep the version they started from', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const { template: v1 } = await call(host, 'agreements.templates.get', { kind: 'membership' });
    const { agreement: before } = await call(host, 'agreements.draft', {
      organisationId: organisations.police.id,
      kind: 'membership',
      groupName: GROUP,
      partnerType: 'police_neighbourhoods',
    });
    const content = { ...v1.content, statement: 'I agree to deliver the priorities of the {group}.' };
    const { template: v2 } = await call(host, 'agreements.templates.edit', { kind: 'membership', basedOnVersion: 1, content });
    expect([v2.version, v2.latest, v2.createdBy]).toEqual([2, true, MANAGER.displayName]);
    expect(await dispatch(host, 'agreements.templates.edit', { kind: 'membership', basedOnVersion: 1, content })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'basedOnVersion' },
    });
    expect((await call(host, 'agreements.templates.get', { kind: 'membership', version: 1 })).template).toMatchObject({
      version: 1,
      latest: false,
    });
    // The draft made before the edit still reads (and will be signed) as version 1.
    const { agreement: still } = await call(host, 'agreements.get', { agreementId: before.id });
    expect([still.templateVersion, still.statement]).toEqual([
      1,
      `I agree to support and deliver the priorities of the ${GROUP} and to honour the expectations stated above.`,
    ]);
    const { agreement: after } = await call(host, 'agreements.draft', {
      organisationId: organisations.charity.id,
      kind: 'membership',
      groupName: GROUP,
      partnerType: 'third_sector',
    });
    expect([after.templateVersion, after.statement]).toEqual([2, `I agree to deliver the priorities of the ${GROUP}.`]);
    expect(after.expectations.map((r) => r.department)).toEqual(['Local third-sector provider']);
    // Template versions themselves never change.
    await expect(host.vault!.db.run('UPDATE agreement_templates SET content = ? WHERE version = 1', ['{}'])).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(host.vault!.db.run('DELETE FROM agreement_templates')).rejects.toThrow(/cannot be deleted/);
  });
});

describe('signing and sealing', () => {
  it('seals the canonical JSON with SHA-256, records the hash in the sign entry, and the seal survives lock and unlock', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const signed = await signedAgreement(host, organisations.police.id);
    expect(signed).toMatchObject({ status: 'current', hashVerified: true, version: 1, organisation: 'West Midlands Police' });
    expect(signed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.signatory).toMatchObject({ name: SIGNATORY.name, method: 'drawn', organisation: 'West Midlands Police', points: 40 });
    expect(signed.signatory!.png).toMatch(/^data:image\/png;base64,/);
    expect(signed.witness).toMatchObject({ name: WITNESS.name, method: 'typed', typedName: WITNESS.name, png: null });
    expect(signed.statement).toContain(GROUP);
    expect(signed.signedAt! <= new Date().toISOString()).toBe(true);
    expect(signed.reviewDate).toBe(addMonths(localToday(), 12));

    const row = await host.vault!.db.get<{ sealed: string; hash: string }>('SELECT sealed, hash FROM agreements WHERE id = ?', [signed.id]);
    expect(createHash('sha256').update(row!.sealed).digest('hex')).toBe(signed.hash);
    const sealed = JSON.parse(row!.sealed) as Record<string, unknown>;
    expect(Object.keys(sealed)).toEqual([...Object.keys(sealed)].sort());
    expect(sealed).toMatchObject({
      template: { version: 1 },
      witness: { name: WITNESS.name, signature: { method: 'typed', attestation: true } },
      signatory: { signature: { method: 'drawn' } },
    });
    expect((sealed.signatory as { signature: { strokes: { points: unknown[] }[] } }).signature.strokes[0]!.points).toHaveLength(40);

    const [entry] = await auditEntries(host, 'agreements.sign');
    expect(entry).toMatchObject({ outcome: 'ok', entity_id: String(signed.id) });
    expect(JSON.parse(entry!.details)).toMatchObject({ hash: signed.hash, signatory: 'drawn', witness: 'typed' });
    expect(entry!.details).not.toContain(SIGNATORY.name);

    await call(host, 'session.lock');
    await call(host, 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
    const { agreement: again } = await call(host, 'agreements.get', { agreementId: signed.id });
    expect([again.hash, again.hashVerified]).toEqual([signed.hash, true]);
    expect(again).toEqual({ ...signed, status: again.status });
  });

  it('refuses every alteration of a signed agreement: through the service, on the app connection, and on a raw SQLCipher connection', async () => {
    const { host, dataDir, organisations } = await partnershipStore(newHost());
    const signed = await signedAgreement(host, organisations.police.id);
    await call(host, 'agreements.terminate', {
      agreementId: (await signedAgreement(host, organisations.charity.id)).id,
      reason: 'Left the partnership',
    });
    const expectRow = async (db = host.vault!.db) =>
      expect((await db.get<{ hash: string }>('SELECT hash FROM agreements WHERE id = ?', [signed.id]))!.hash).toBe(signed.hash);

    expect(await dispatch(host, 'agreements.updateDraft', { agreementId: signed.id, groupName: 'Another group' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'agreementId' },
    });
    expect(
      await dispatch(host, 'agreements.sign', {
        agreementId: signed.id,
        signatory: { ...SIGNATORY, signature: drawn() },
        witness: { ...WITNESS, signature: drawn() },
      }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const statements = [
      "UPDATE agreements SET group_name = 'Forged' WHERE id = ?",
      "UPDATE agreements SET sealed = replace(sealed, 'Okafor', 'Forged') WHERE id = ?",
      "UPDATE agreements SET hash = '0000000000000000000000000000000000000000000000000000000000000000' WHERE id = ?",
      "UPDATE agreements SET valid_until = '2099-12-31' WHERE id = ?",
      'UPDATE agreements SET signed_at = NULL, sealed = NULL, hash = NULL, signed_on = NULL, review_date = NULL, valid_until = NULL, recorded_by = NULL WHERE id = ?',
      'DELETE FROM agreements WHERE id = ?',
    ];
    for (const statement of statements)
      await expect(host.vault!.db.run(statement, [signed.id]), statement).rejects.toThrow(/signed agreement cannot be (changed|deleted)/);
    await expect(host.vault!.db.run('DELETE FROM agreement_terminations')).rejects.toThrow(/cannot be undone/);
    await expect(host.vault!.db.run("UPDATE agreement_terminations SET reason = 'x'")).rejects.toThrow(/cannot be changed/);
    await expectRow();

    // Someone with the raw key and the standard tool, the app locked: the triggers are in the file itself.
    const pragma = rawKeyOf(host);
    await call(host, 'session.lock');
    const raw = await openRaw(dataDir, pragma);
    try {
      for (const statement of statements)
        await expect(raw.run(statement, [signed.id]), statement).rejects.toThrow(/signed agreement cannot be (changed|deleted)/);
      await expect(raw.run('DELETE FROM agreement_terminations')).rejects.toThrow(/cannot be undone/);
      await expectRow(raw);
    } finally {
      await raw.close();
    }
  });

  it('a change is a new version: drafted from the signed one, signed again, and the old one is superseded', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const first = await signedAgreement(host, organisations.police.id);
    const { agreement: draft } = await call(host, 'agreements.newVersion', { agreementId: first.id });
    expect(draft).toMatchObject({
      status: 'draft',
      version: 2,
      supersedes: first.id,
      hash: null,
      groupName: GROUP,
      partnerType: 'police_neighbourhoods',
    });
    expect(draft.expectations).toEqual(first.expectations);
    expect(await dispatch(host, 'agreements.newVersion', { agreementId: first.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { draftId: draft.id } },
    });
    expect(
      await dispatch(host, 'agreements.draft', { organisationId: organisations.police.id, kind: 'membership', groupName: GROUP }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'organisationId' } });
    // Until the new version is signed, the old one stays in force.
    expect((await call(host, 'agreements.get', { agreementId: first.id })).agreement.status).toBe('current');
    const changed = draft.expectations.map((r) => ({ ...r, officerLevel: 'Superintendent' }));
    await call(host, 'agreements.updateDraft', { agreementId: draft.id, expectations: changed });
    const { agreement: second } = await call(host, 'agreements.sign', {
      agreementId: draft.id,
      signatory: { ...SIGNATORY, signature: typed(SIGNATORY.name) },
      witness: { ...WITNESS, signature: drawn() },
    });
    expect(second).toMatchObject({ status: 'current', version: 2, supersedes: first.id });
    expect(second.expectations[0]!.officerLevel).toBe('Superintendent');
    expect(second.hash).not.toBe(first.hash);
    const { agreement: old } = await call(host, 'agreements.get', { agreementId: first.id });
    expect([old.status, old.supersededBy, old.hash, old.hashVerified]).toEqual(['superseded', second.id, first.hash, true]);
    const { agreements } = await call(host, 'agreements.list', { organisationId: organisations.police.id });
    expect(agreements.map((a) => [a.version, a.status])).toEqual([
      [2, 'current'],
      [1, 'superseded'],
    ]);
  });

  it('termination is recorded with its reason, ends the agreement, and cannot be repeated', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const signed = await signedAgreement(host, organisations.police.id);
    expect(await hasCurrentAgreement(host.vault!.db, organisations.police.id, 'membership')).toBe(true);
    const { agreement } = await call(host, 'agreements.terminate', { agreementId: signed.id, reason: 'The force withdrew from the group' });
    expect(agreement).toMatchObject({
      status: 'terminated',
      terminationReason: 'The force withdrew from the group',
      hash: signed.hash,
      hashVerified: true,
    });
    expect(await dispatch(host, 'agreements.terminate', { agreementId: signed.id, reason: 'Again' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await hasCurrentAgreement(host.vault!.db, organisations.police.id, 'membership')).toBe(false);
    const { agreement: draft } = await call(host, 'agreements.draft', {
      organisationId: organisations.charity.id,
      kind: 'membership',
      groupName: GROUP,
    });
    expect(await dispatch(host, 'agreements.terminate', { agreementId: draft.id, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});

describe('review and expiry at their boundaries', () => {
  it('current until the day before review; due for review from the review date to the last valid day; expired the day after', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const signed = await signedAgreement(host, organisations.police.id);
    const review = signed.reviewDate!;
    const last = signed.validUntil!;
    expect(last).toBe(addDays(addMonths(localToday(), 15), -1));
    const statusOn = async (asOf: string) =>
      (await call(host, 'agreements.list', { organisationId: organisations.police.id, asOf })).agreements[0]!.status;
    const dueOn = async (asOf: string, withinDays: number) =>
      (await call(host, 'agreements.overview', { asOf, withinDays })).dueForReview.map((a) => a.id);
    const missingOn = async (asOf: string) =>
      (await call(host, 'agreements.overview', { asOf })).missing.find((m) => m.organisationId === organisations.police.id)?.kinds ?? [];

    expect(await statusOn(addDays(review, -1))).toBe('current');
    expect(await statusOn(review)).toBe('due_for_review');
    expect(await statusOn(last)).toBe('due_for_review');
    expect(await statusOn(addDays(last, 1))).toBe('expired');

    expect(await dueOn(addDays(review, -31), 30)).toEqual([]);
    expect(await dueOn(addDays(review, -30), 30)).toEqual([signed.id]);
    expect(await dueOn(addDays(review, -1), 0)).toEqual([]);
    expect(await dueOn(review, 0)).toEqual([signed.id]);
    expect(await dueOn(last, 0)).toEqual([signed.id]);
    expect(await dueOn(addDays(last, 1), 366)).toEqual([]);

    expect(await missingOn(last)).toEqual(['information_sharing']);
    expect(await missingOn(addDays(last, 1))).toEqual(['membership', 'information_sharing']);
    expect(await hasCurrentAgreement(host.vault!.db, organisations.police.id, 'membership', last)).toBe(true);
    expect(await hasCurrentAgreement(host.vault!.db, organisations.police.id, 'membership', addDays(last, 1))).toBe(false);
  });

  it('lists organisations without a current agreement of each kind', async () => {
    const { host, organisations, manager } = await partnershipStore(newHost());
    await signedAgreement(host, organisations.police.id);
    await signedAgreement(host, organisations.police.id, 'information_sharing');
    await signedAgreement(host, organisations.charity.id);
    const { missing, enforced } = await call(host, 'agreements.overview', {});
    expect(enforced).toBe(false);
    expect(missing.map((m) => [m.organisation, m.kinds])).toEqual([
      [MANAGER.organisation, ['membership', 'information_sharing']],
      ['Northfield Residents Trust', ['information_sharing']],
    ]);
    expect(missing[0]!.organisationId).toBe(manager.organisationId);
  });
});

describe('signatures that must be refused', () => {
  const points = (n: number, step: number) => [Array.from({ length: n }, (_, i) => ({ x: 100 + i * step, y: 100 }))];
  const cases: [string, unknown, RegExp | null, string][] = [
    ['an empty drawing', drawn([]), /empty/, 'signatory.signature'],
    ['a stroke with no points', { ...drawn([]), strokes: [{ points: [] }] }, /empty/, 'signatory.signature'],
    ['too few points', drawn(points(5, 40)), /too few points/, 'signatory.signature'],
    ['too short a path', drawn(points(30, 1)), /too short/, 'signatory.signature'],
    ['points outside the box', drawn(scrawl(40, 1200, 200)), /outside its box/, 'signatory.signature'],
    [
      'an image that is not a PNG',
      {
        ...drawn(),
        png: `data:image/png;base64,${Buffer.from('GIF89a not a png at all, not even close to one, really not').toString('base64')}`,
      },
      /not a PNG/,
      'signatory.signature.png',
    ],
    ['an image that is not base64', { ...drawn(), png: 'data:image/png;base64,@@@@' }, /PNG image/, 'signatory.signature.png'],
    ['an SVG', { ...drawn(), png: 'data:image/svg+xml;base64,PHN2Zz4=' }, /PNG image/, 'signatory.signature.png'],
    [
      'a point that is not a number',
      { ...drawn(), strokes: [{ points: [{ x: 'a', y: 1 }] }] },
      null,
      'signatory.signature.strokes.0.points.0.x',
    ],
    ['an unknown key', { ...drawn(), extra: 1 }, null, 'signatory.signature.extra'],
    ['an unknown method', { method: 'stamp' }, null, 'signatory.signature.method'],
    [
      'a typed name without the attestation',
      { method: 'typed', typedName: SIGNATORY.name, attestation: false },
      /tick the box/,
      'signatory.signature.attestation',
    ],
    ['a typed name that is not the signatory', typed('Someone Else'), /must be the signer's name/, 'signatory.signature'],
    ['a typed name left blank', { method: 'typed', typedName: '   ', attestation: true }, /required/, 'signatory.signature.typedName'],
  ];

  it.each(cases)('refuses %s with a message naming the field, and the draft stays a draft', async (_label, signature, message, field) => {
    const { host, organisations } = await partnershipStore(newHost());
    const { agreement: draft } = await call(host, 'agreements.draft', {
      organisationId: organisations.police.id,
      kind: 'membership',
      groupName: GROUP,
    });
    const result = await dispatch(host, 'agreements.sign', {
      agreementId: draft.id,
      signatory: { ...SIGNATORY, signature },
      witness: { ...WITNESS, signature: typed(WITNESS.name) },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } });
    if (!result.ok && message) expect(result.error.message).toMatch(message);
    expect((await call(host, 'agreements.get', { agreementId: draft.id })).agreement.status).toBe('draft');
    const [entry] = await auditEntries(host, 'agreements.sign');
    expect(entry).toMatchObject({ outcome: 'refused', error_code: 'VALIDATION' });
  });

  it('refuses a witness who is the signatory, and a missing witness', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const { agreement: draft } = await call(host, 'agreements.draft', {
      organisationId: organisations.police.id,
      kind: 'membership',
      groupName: GROUP,
    });
    expect(
      await dispatch(host, 'agreements.sign', {
        agreementId: draft.id,
        signatory: { ...SIGNATORY, signature: drawn() },
        witness: { ...SIGNATORY, signature: typed(SIGNATORY.name) },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'witness.name' } });
    expect(
      await dispatch(host, 'agreements.sign', { agreementId: draft.id, signatory: { ...SIGNATORY, signature: drawn() } }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'witness' } });
    expect(
      await dispatch(host, 'agreements.sign', {
        agreementId: draft.id,
        signatory: { ...SIGNATORY, signature: drawn() },
        witness: { ...WITNESS, signature: drawn(points(3, 50)) },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'witness.signature' } });
  });
});
