// Reading the log: filters, paging, CSV export. Each read is itself an audited consultation or disclosure.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry, type AuditRow } from '../../src/audit/log.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { call, credentials, MANAGER, STATUTORY, userInput } from '../support/partnership.js';
import { initialisedStore } from '../support/store.js';
import { latestCheckpoint, readKeyFileJson } from '../vault/raw.js';

const JUSTIFICATION = 'Annual audit review for the partnership board';
const FORMULA_ORG = '=HYPERLINK("http://evil.example","click")';
const HISTORIC = ['2020-06-01T09:00:00.000Z', '2021-06-01T09:00:00.000Z', '2022-06-01T09:00:00.000Z'];

/** A store with entries by three users in two organisations, and three old entries about two cases. */
async function populatedStore() {
  const store = await initialisedStore();
  const { host } = store;
  const police = (await call(host, 'organisations.add', { name: STATUTORY.organisation, statutory: true })).organisation;
  const jones = (await call(host, 'users.add', userInput('statutory', police.id))).user;
  // An organisation name a spreadsheet would run as a formula; its member's entries carry it.
  const residents = (await call(host, 'organisations.add', { name: FORMULA_ORG, statutory: false })).organisation;
  await call(host, 'users.add', {
    username: 'res.rep',
    displayName: 'Resident Rep',
    role: 'non_statutory',
    organisationId: residents.id,
    passphrase: 'residents association rep',
  });
  await dispatch(host, 'users.remove', { username: 'nobody.here' });
  const vault = host.vault!;
  await vault.db.transaction(async (sql) => {
    const actor = { userId: jones.id, username: jones.username, organisation: jones.organisation, role: jones.role };
    for (const [i, at] of HISTORIC.entries()) {
      await appendAuditEntry(sql, vault.storeId, {
        actor,
        kind: 'consultation',
        operation: 'cases.view',
        entityType: 'case',
        entityId: i === 1 ? 'c-2' : 'c-1',
        justification: 'Historic',
        outcome: 'ok',
        at: new Date(at),
        details: { fields: ['name', 'risk'] },
      });
    }
  });
  await call(host, 'session.lock');
  await call(host, 'session.unlock', { username: 'res.rep', passphrase: 'residents association rep' });
  await call(host, 'session.lock');
  await call(host, 'session.unlock', credentials(STATUTORY));
  await call(host, 'session.lock');
  await call(host, 'session.unlock', credentials(MANAGER));
  await call(host, 'session.setJustification', { justification: JUSTIFICATION });
  return { ...store, jones, police };
}

const everything = (host: Host) => host.vault!.db.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq DESC');

/** RFC 4180 parsing: quoted fields, doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('audit.query', () => {
  it('filters by user, organisation, kind, outcome, entity and time range', async () => {
    const { host, jones } = await populatedStore();
    const all = await everything(host);
    const q = async (filter: Record<string, unknown>) =>
      (await call(host, 'audit.query', { filter, limit: 500 })).entries.map((e) => e.seq);
    const expected = (keep: (r: AuditRow) => boolean) => all.filter(keep).map((r) => r.seq);
    // Each query adds its own entry, which the next query may see: compare against the log as it was.
    const upTo = all[0]!.seq;
    const within = (seqs: number[]) => seqs.filter((s) => s <= upTo);

    const byUser = within(await q({ userId: jones.id }));
    expect(byUser).toEqual(expected((r) => r.user_id === jones.id));
    expect(byUser.length).toBeGreaterThanOrEqual(5);
    expect(within(await q({ username: 'PC.JONES' }))).toEqual(byUser);
    expect(within(await q({ organisation: 'west midlands police' }))).toEqual(expected((r) => r.organisation === 'West Midlands Police'));
    expect(within(await q({ kind: 'unlock' }))).toEqual(expected((r) => r.kind === 'unlock'));
    expect(within(await q({ outcome: 'refused' }))).toEqual(expected((r) => r.outcome === 'refused'));
    expect(within(await q({ entityType: 'case', entityId: 'c-1' }))).toEqual(
      expected((r) => r.entity_type === 'case' && r.entity_id === 'c-1'),
    );
    expect(within(await q({ entityType: 'case', entityId: 'c-1' }))).toHaveLength(2);
    expect(within(await q({ from: '2021-01-01T00:00:00.000Z', to: '2022-01-01T00:00:00.000Z' }))).toEqual(
      expected((r) => r.at === HISTORIC[1]),
    );
    expect(within(await q({ from: '2021-06-01T09:00:00.000Z', to: '2022-06-01T09:00:00.000Z' }))).toHaveLength(1);
    expect(within(await q({ to: '2023-01-01T00:00:00Z' }))).toHaveLength(3);
    expect(within(await q({ kind: 'consultation', userId: jones.id, entityId: 'c-2' }))).toHaveLength(1);

    const bad = await dispatch(host, 'audit.query', { filter: { kind: 'gossip' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'filter.kind' } });
  });

  it('pages newest first with beforeSeq, covering every entry once', async () => {
    const { host } = await populatedStore();
    const first = await call(host, 'audit.query', { filter: {}, limit: 4 });
    const total = first.total;
    const seen = first.entries.map((e) => e.seq);
    let next = first.nextBeforeSeq;
    while (next !== null) {
      const page = await call(host, 'audit.query', { filter: {}, limit: 4, beforeSeq: next });
      expect(page.entries.length).toBeLessThanOrEqual(4);
      seen.push(...page.entries.map((e) => e.seq));
      next = page.nextBeforeSeq;
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(seen.length).toBeGreaterThan(12);
    // Paging a filtered view keeps the filter.
    const refused = await call(host, 'audit.query', { filter: { outcome: 'refused' }, limit: 1 });
    const rest = await call(host, 'audit.query', { filter: { outcome: 'refused' }, limit: 1, beforeSeq: refused.nextBeforeSeq! });
    expect([...refused.entries, ...rest.entries].every((e) => e.outcome === 'refused')).toBe(true);
  });

  it('reading the log is itself logged, with the justification and the filter used', async () => {
    const { host } = await populatedStore();
    const { entries } = await call(host, 'audit.query', { filter: { kind: 'unlock', entityType: 'session' }, limit: 2 });
    const [read] = (await call(host, 'audit.query', { filter: { kind: 'consultation', entityType: 'audit_log' }, limit: 1 })).entries;
    expect(read).toMatchObject({
      operation: 'audit.query',
      kind: 'consultation',
      outcome: 'ok',
      username: MANAGER.username,
      justification: JUSTIFICATION,
      details: { filter: ['entityType', 'kind'], returned: entries.length },
    });
    await call(host, 'audit.verify');
    // A query's own entry is written after it reads, so the newest entry it sees is the verification.
    const verified = (await call(host, 'audit.query', { filter: { entityType: 'audit_log' }, limit: 1 })).entries[0];
    expect(verified).toMatchObject({ operation: 'audit.verify', details: { intact: true } });
  });
});

describe('audit.exportCsv', () => {
  it('produces CSV that parses back to the log, logs a disclosure with recipients and the sha256, and advances the checkpoint', async () => {
    const { host, dataDir } = await populatedStore();
    const rows = await everything(host);
    const checkpointBefore = latestCheckpoint(readKeyFileJson(dataDir));
    expect(checkpointBefore.seq).toBeLessThan(rows[0]!.seq);

    const recipients = ['ICO case officer', 'Data Protection Officer, Northfield Council'];
    const exported = await call(host, 'audit.exportCsv', { recipients });
    expect(createHash('sha256').update(exported.csv, 'utf8').digest('hex')).toBe(exported.sha256);

    const [header, ...lines] = parseCsv(exported.csv);
    // The last line carries the marking and the audit head as it stood at the export.
    expect(lines.at(-1)).toEqual([
      `# OFFICIAL-SENSITIVE; audit log head at export: ${exported.auditHead!.seq}:${exported.auditHead!.hash}`,
    ]);
    expect(exported.auditHead).toEqual({ seq: rows[0]!.seq, hash: rows[0]!.hash });
    const body = lines.slice(0, -1);
    expect(header).toEqual([
      'seq',
      'at',
      'user_id',
      'username',
      'organisation',
      'role',
      'kind',
      'operation',
      'entity_type',
      'entity_id',
      'justification',
      'recipients',
      'outcome',
      'error_code',
      'details',
      'prev_hash',
      'hash',
    ]);
    expect(body).toHaveLength(exported.rows);
    expect(body).toHaveLength(rows.length);
    const byColumn = body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]!])));
    for (const [i, row] of rows.slice().reverse().entries()) {
      const cells = byColumn[i]!;
      expect(Number(cells.seq)).toBe(row.seq);
      expect(cells.hash).toBe(row.hash);
      expect(cells.details).toBe(row.details);
      expect(cells.recipients).toBe(row.recipients);
      expect(cells.user_id).toBe(row.user_id === null ? '' : String(row.user_id));
      expect(cells.username).toBe(row.username ?? '');
    }
    // A spreadsheet must not run a value as a formula: such cells gain a leading quote.
    const fromFormulaOrg = byColumn.filter((c) => c.username === 'res.rep');
    expect(fromFormulaOrg.length).toBeGreaterThan(0);
    for (const cells of fromFormulaOrg) expect(cells.organisation).toBe(`'${FORMULA_ORG}`);
    expect(body.flat().some((cell) => /^[=+\-@]/.test(cell))).toBe(false);

    // Read before the query below, which is a consultation and moves the checkpoint on again.
    const checkpointAfter = latestCheckpoint(readKeyFileJson(dataDir));
    const [disclosure] = (await call(host, 'audit.query', { filter: { kind: 'disclosure' }, limit: 1 })).entries;
    expect(disclosure).toMatchObject({
      operation: 'audit.exportCsv',
      outcome: 'ok',
      recipients,
      justification: JUSTIFICATION,
      details: { sha256: exported.sha256, rows: exported.rows, format: 'csv' },
    });
    expect(disclosure!.seq).toBe(rows[0]!.seq + 1);
    expect(checkpointAfter).toMatchObject({ seq: disclosure!.seq, hash: disclosure!.hash });
  });

  it('exports only what the filter selects, and needs at least one recipient', async () => {
    const { host, jones } = await populatedStore();
    const exported = await call(host, 'audit.exportCsv', { recipients: ['Professional Standards'], filter: { userId: jones.id } });
    const body = parseCsv(exported.csv).slice(1, -1);
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((cells) => cells[2] === String(jones.id))).toBe(true);
    expect(await dispatch(host, 'audit.exportCsv', { recipients: [] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'recipients' },
    });
  });
});
