// The signed agreement's PDF, checked with the standard tools: qpdf finds no structural error, pdftotext
// reads the statement, the names, the witness and the hash, every page is marked head and foot, the font
// is embedded, the metadata says only the title and the organisation; its SHA-256 is in the export's
// audit entry, and documents.verify finds that entry for the file and none for a one-byte-changed copy.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { MARKING } from '../../src/export/agreement-pdf.js';
import { call, partnershipStore } from '../support/partnership.js';
import { newHost, tempDir } from '../support/store.js';
import { GROUP, SIGNATORY, WITNESS, drawn } from '../support/signatures.js';

async function exported() {
  const { host, organisations } = await partnershipStore(newHost());
  const { agreement: draft } = await call(host, 'agreements.draft', {
    organisationId: organisations.police.id,
    kind: 'membership',
    groupName: GROUP,
    partnerType: 'police_neighbourhoods',
  });
  const { agreement } = await call(host, 'agreements.sign', {
    agreementId: draft.id,
    signatory: { ...SIGNATORY, signature: drawn() },
    witness: { ...WITNESS, signature: drawn() },
  });
  const result = await call(host, 'agreements.exportPdf', { agreementId: agreement.id, recipients: ['West Midlands Police records'] });
  const file = join(tempDir(), result.filename);
  writeFileSync(file, Buffer.from(result.pdfBase64, 'base64'));
  return { host, agreement, result, file };
}

const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('the signed agreement as a PDF', () => {
  it('passes qpdf --check and reads back the statement, names, witness, date and hash, marked on every page', async () => {
    const { agreement, result, file } = await exported();
    expect(result.filename).toBe('membership-agreement-west-midlands-police-v1.pdf');
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(result.sha256);
    const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/No syntax or stream encoding errors found/);

    const body = text(file).replace(/[ \t]+/g, ' ');
    const flat = body.replace(/\s+/g, ' ');
    expect(flat).toContain(`I agree to support and deliver the priorities of the ${GROUP} and to honour the expectations stated above.`);
    expect(flat).toContain(`Name: ${SIGNATORY.name}`);
    expect(flat).toContain('Organisation: West Midlands Police');
    expect(flat).toMatch(new RegExp(`Witness Name: ${WITNESS.name} Role: ${WITNESS.role}`));
    expect(flat).toContain(agreement.hash!);
    expect(flat).toContain(agreement.signedAt!);
    expect(flat).toMatch(/Member expectations .*Partner .*Department .*Responsibilities .*Officer level/);
    expect(flat).toContain('Chief Inspector');

    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const perPage = body.split('\f').filter((p) => p.trim());
    expect(perPage).toHaveLength(pages);
    for (const page of perPage) expect(page.split(MARKING).length - 1).toBe(2);

    // Drawn signatures are images in the file: two of them, each with its transparency mask.
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[2]);
    expect(images.filter((type) => type === 'image')).toHaveLength(2);
    expect(images.filter((type) => type === 'smask')).toHaveLength(2);
  });

  it('embeds DejaVu Sans and keeps only the title and the organisation in its metadata', async () => {
    const { file } = await exported();
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/DejaVuSans.*\byes\b.*\byes\b/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Title:\s+Membership agreement: West Midlands Police$/m);
    expect(info).toMatch(/^Subject:\s+West Midlands Police$/m);
    for (const field of ['Author', 'Creator', 'Producer', 'CreationDate', 'Keywords'])
      expect(info).not.toMatch(new RegExp(`^${field}:`, 'm'));
    expect(readFileSync(file).toString('latin1')).not.toContain('PDFKit');
  });

  it('records the file hash with the export; documents.verify names that entry, and none for a copy with one byte changed', async () => {
    const { host, agreement, result, file } = await exported();
    const entry = await host.vault!.db.get<{ seq: number; kind: string; details: string; recipients: string }>(
      "SELECT seq, kind, details, recipients FROM audit_log WHERE operation = 'agreements.exportPdf'",
    );
    expect(entry!.kind).toBe('export');
    expect(JSON.parse(entry!.details)).toMatchObject({ sha256: result.sha256, documentHash: agreement.hash, format: 'pdf' });
    expect(JSON.parse(entry!.recipients)).toEqual(['West Midlands Police records']);

    const { matches } = await call(host, 'documents.verify', { sha256: result.sha256.toUpperCase() });
    expect(matches).toMatchObject([
      { seq: entry!.seq, operation: 'agreements.exportPdf', entityType: 'agreement', entityId: String(agreement.id) },
    ]);

    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const changed = createHash('sha256').update(bytes).digest('hex');
    expect((await call(host, 'documents.verify', { sha256: changed })).matches).toEqual([]);
    expect(await dispatch(host, 'documents.verify', { sha256: 'not a hash' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'sha256' },
    });
  });

  it('refuses to export a draft', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const { agreement } = await call(host, 'agreements.draft', {
      organisationId: organisations.police.id,
      kind: 'information_sharing',
      groupName: GROUP,
    });
    expect(await dispatch(host, 'agreements.exportPdf', { agreementId: agreement.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});
