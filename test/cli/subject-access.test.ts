// `concordat subject-access` in a child process: the PDF and the JSON written with mode 0600, the PDF
// checked with qpdf and read with pdftotext, the other subject of the case redacted from both, the files
// recognised by verify-document, and an existing file never overwritten.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { asManager, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

describe('concordat subject-access', () => {
  it("writes the person's pack as PDF and JSON without the other subject, and verify-document knows both files", async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const run = async (args: string[]) => {
      const result = await cli(args, asManager);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const callJson = async <T>(operation: string, input: unknown) =>
      JSON.parse(await run(['call', operation, '--input', JSON.stringify(input), '--justification', 'Recording a referral'])) as T;
    const person = async (givenName: string, familyName: string, line1: string, postcode: string) =>
      (
        await callJson<{ person: { id: number } }>('people.create', {
          givenName,
          familyName,
          dateOfBirth: '1988-02-29',
          addresses: [{ line1, postcode }],
          createDespiteDuplicates: true,
        })
      ).person.id;
    const siân = await person('Siân', 'Łopez-Hughes', '7 Canal Street', 'B12 9QR');
    const other = await person('Tobias', 'Wrenfield', '3 Heron Mews', 'B29 6NE');
    const { case: created } = await callJson<{ case: { id: number } }>('cases.create', {
      subjectIds: [siân, other],
      area: 'Northfield',
      summary: 'Noise from 3 Heron Mews.',
      concerns: ['youth_offending'],
      referral: {
        organisation: 'West Midlands Police',
        officer: 'PC Jones',
        date: '2025-10-01',
        reason: 'Reports.',
        consent: 'not_required',
      },
      risk: { personalHarm: 'low', communityHarm: 'medium', environmentalHarm: 'low', vulnerabilityFactors: [], reasons: 'Reports.' },
    });
    await callJson('cases.addNote', { caseId: created.id, body: 'Siân says Tobias Wrenfield (B29 6NE) shouts at night.' });

    const dir = tempDir();
    const pdf = join(dir, 'sar.pdf');
    const json = join(dir, 'sar.json');
    const args = ['subject-access', '--person', String(siân), '--justification', 'SAR-7 of 2 March', '--out-pdf', pdf, '--out-json', json];
    expect(await run(args)).toMatch(/Wrote the subject access pack .*\n.*SHA-256 [0-9a-f]{64}/);
    for (const file of [pdf, json]) expect(statSync(file).mode & 0o777).toBe(0o600);
    execFileSync('qpdf', ['--check', pdf], { stdio: 'pipe' });
    const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const jsonText = readFileSync(json, 'utf8');
    for (const text of [pdfText, jsonText]) {
      expect(text).toContain('Łopez-Hughes');
      expect(text).toContain('shouts at night');
      for (const gone of ['Tobias', 'Wrenfield', 'Heron', 'B29 6NE']) expect(text).not.toContain(gone);
    }
    for (const file of [pdf, json]) expect(await run(['verify-document', file])).toMatch(/people\.subjectAccess/);

    const again = await cli(args, asManager);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
    const noJustification = await cli(
      ['subject-access', '--person', String(siân), '--out-pdf', join(dir, 'x.pdf'), '--out-json', join(dir, 'x.json')],
      asManager,
    );
    expect(noJustification.code).toBe(2);
    expect(noJustification.stderr).toMatch(/--justification/);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  }, 120_000);
});
