// `concordat verify-document FILE` on the built program: the agreement is drafted, signed and exported
// through `concordat call` (so the PDF is written by the worker thread of the compiled code), then the
// file is checked, and a copy with one byte changed is not recognised.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, OperationName, OutputOf } from '../../src/contract/operations.js';
import { tempDir } from '../support/store.js';
import { GROUP, SIGNATORY, WITNESS, drawn, typed } from '../support/signatures.js';
import { asManager, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

describe('concordat verify-document', () => {
  it('names the export entry for an exported agreement, and exits 6 for a copy with one byte changed', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    await initStore(cli);
    const json = async <N extends OperationName>(op: N, input: InputOf<N>): Promise<OutputOf<N>> => {
      const result = await cli(['call', op, '--input', '-'], asManager, JSON.stringify(input));
      expect(result.code, `${op}: ${result.stderr}`).toBe(0);
      return JSON.parse(result.stdout) as OutputOf<N>;
    };
    const { organisation } = await json('organisations.add', { name: 'West Midlands Police', statutory: true });
    const { agreement: draft } = await json('agreements.draft', {
      organisationId: organisation.id,
      kind: 'membership',
      groupName: GROUP,
      partnerType: 'police_neighbourhoods',
    });
    const { agreement } = await json('agreements.sign', {
      agreementId: draft.id,
      signatory: { ...SIGNATORY, signature: drawn() },
      witness: { ...WITNESS, signature: typed(WITNESS.name) },
    });
    const exported = await json('agreements.exportPdf', { agreementId: agreement.id, recipients: ['Police records'] });

    const folder = tempDir();
    const file = join(folder, exported.filename);
    writeFileSync(file, Buffer.from(exported.pdfBase64, 'base64'));
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(exported.sha256);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);

    const ok = await cli(['verify-document', file], asManager);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(
        `matches audit entry \\d+: agreements.exportPdf of agreement ${agreement.id} by alex.manager at \\S+, for Police records \\(SHA-256 ${exported.sha256}\\)`,
      ),
    );
    const asJson = await cli(['verify-document', file, '--json'], asManager);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      sha256: exported.sha256,
      matches: [{ operation: 'agreements.exportPdf', entityId: String(agreement.id) }],
    });

    const bytes = readFileSync(file);
    bytes[bytes.length - 10]! ^= 0x20;
    const changed = join(folder, 'changed.pdf');
    writeFileSync(changed, bytes);
    const refused = await cli(['verify-document', changed], asManager);
    expect(refused.code).toBe(6);
    expect(refused.stdout).toContain('No audit entry records a file with SHA-256');
    expect(refused.stdout).toContain('or it has been changed since');

    const missing = await cli(['verify-document', join(folder, 'nothing.pdf')], asManager);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/There is no file/);
  }, 120_000);
});
