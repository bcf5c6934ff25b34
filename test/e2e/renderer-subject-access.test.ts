// A subject access pack in real Chromium, with the keyboard alone: from a person on the case profile to
// the Subject access page, a refusal beside the empty request field, the export, the preview drawn by
// react-pdf under the app's CSP, and both files saved and read back: the person's own note is there, the
// other subject of the case (a third party) is not, and each file's SHA-256 is the one the disclosure
// entry recorded. axe on the form, on the error and on the preview.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  expectNoProblems,
  focusedId,
  JUSTIFICATION,
  MANAGER,
  openApp,
  openCaseFromList,
  press,
  screenshot,
  seedPartnership,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

const LONG_FLOW_MS = 300_000;
const NOTE = 'Jordan Ellis met the youth worker. Tobias Wrenfield of 3 Heron Mews, B29 6NE (07700 900789) says he shouts at night.';
const THIRD_PARTY = ['Tobias', 'Wrenfield', 'Heron Mews', 'B29 6NE', '07700 900789'];
const REQUEST = 'Subject access request SAR-2026-014, received 1 March 2026';

describe('subject access', () => {
  it(
    "exports, previews and saves a person's pack without the third party, with the keyboard alone",
    async () => {
      let personId = 0;
      const app = await openApp({
        seed: async ({ call }) => {
          const { cases } = await seedPartnership(call);
          await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
          await call('session.setJustification', { justification: JUSTIFICATION });
          personId = (await call('cases.get', { caseId: cases.jordan.id })).case.subjects[0]!.id;
          const { person } = await call('people.create', {
            givenName: 'Tobias',
            familyName: 'Wrenfield',
            dateOfBirth: '1971-06-30',
            addresses: [{ line1: '3 Heron Mews', postcode: 'B29 6NE' }],
            contacts: [{ kind: 'phone', value: '07700 900789' }],
            createDespiteDuplicates: true,
          });
          const { case: shared } = await call('cases.create', {
            subjectIds: [personId, person!.id],
            area: 'Northfield',
            summary: 'Dispute between neighbours.',
            concerns: ['noise_nuisance'],
            referral: { organisation: 'Housing', officer: 'Pat Lowe', date: '2025-11-01', reason: 'Complaints.', consent: 'not_required' },
            risk: { personalHarm: 'low', communityHarm: 'low', environmentalHarm: 'low' },
          });
          await call('cases.addNote', { caseId: shared.id, body: NOTE });
          await call('session.lock', {});
        },
      });
      const { page } = app;
      await unlockAs(page, MANAGER);

      // ── from the person on the shared case's profile to the Subject access page ──
      await openCaseFromList(page, 'Wrenfield');
      await press(page, 'Subject access pack for Jordan Ellis');
      await page.getByRole('heading', { name: 'Jordan Ellis' }).waitFor();
      expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');
      expect(await page.locator('#sar-recipients').inputValue()).toBe('Jordan Ellis (the data subject)');
      await expectNoAxeViolations(page, 'subject access form');

      // ── the request is required: the refusal sits beside its field ──
      await press(page, 'Export and preview');
      await expect.poll(() => page.locator('#sar-justification-error').textContent()).toContain('Enter the request this answers');
      await expectNoAxeViolations(page, 'subject access form with an error');
      await screenshot(page, 'subject-access-01-error');

      await typeInto(page, { id: 'sar-justification' }, REQUEST);
      await press(page, 'Export and preview');
      await page.locator('#sar-exported').waitFor({ timeout: 60_000 });
      expect(await focusedId(page)).toBe('sar-exported');
      const pdfSha = (await page.getByTestId('sar-pdf-sha256').textContent())!;
      const jsonSha = (await page.getByTestId('sar-json-sha256').textContent())!;

      // ── the preview of the exported file ──
      await expect.poll(() => page.getByTestId('preview-page').textContent(), { timeout: 30_000 }).toMatch(/^Page 1 of \d+$/);
      await expect
        .poll(() => page.locator('.react-pdf__Page .textLayer').textContent(), { timeout: 30_000 })
        .toContain('OFFICIAL-SENSITIVE');
      await screenshot(page, 'subject-access-02-preview');
      await expectNoAxeViolations(page, 'subject access preview');

      // ── save both files: the person's note is there, the third party is not ──
      await tabTo(page, { text: 'Save the PDF', tag: 'button' });
      const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const pdfFile = (await pdfDownload.path())!;
      execFileSync('qpdf', ['--check', pdfFile], { stdio: 'pipe' });
      const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      await tabTo(page, { text: 'Save the JSON', tag: 'button' });
      const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      expect(jsonDownload.suggestedFilename()).toBe(`subject-access-${personId}.json`);
      const jsonFile = (await jsonDownload.path())!;
      const jsonText = readFileSync(jsonFile, 'utf8');
      for (const text of [pdfText, jsonText]) {
        expect(text).toContain('met the youth worker');
        expect(text).toContain('Jordan Ellis');
        for (const gone of THIRD_PARTY) expect(text, gone).not.toContain(gone);
      }
      const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(sha(pdfFile)).toBe(pdfSha);
      expect(sha(jsonFile)).toBe(jsonSha);
      const { entries } = await app.call('audit.query', { filter: { kind: 'disclosure', entityType: 'person' }, limit: 10 });
      expect(entries[0]).toMatchObject({
        operation: 'people.subjectAccess',
        entityId: String(personId),
        justification: REQUEST,
        recipients: ['Jordan Ellis (the data subject)'],
        details: { sha256: pdfSha, jsonSha256: jsonSha },
      });
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
