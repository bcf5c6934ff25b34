// Exporting redacted minutes in real Chromium, with the keyboard alone: the open audience's automatic
// redactions listed with their context, one undone, one added by selecting words in the text, the
// export, the preview of the exported file drawn by react-pdf (PDF.js, its worker from the app's own
// origin, under the app's CSP: any CSP refusal fails the test), and the saved file read back with
// pdftotext. axe on the review, on a form error and on the preview.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseOption,
  expectNoAxeViolations,
  expectNoProblems,
  focusedId,
  inDays,
  JUSTIFICATION,
  MANAGER,
  type MeetingsSeed,
  openApp,
  type Page,
  press,
  screenshot,
  seedMeetings,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';
import { foldString } from '../../src/domain/redaction.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shell/csp.js';

useRendererHarness();

const LONG_FLOW_MS = 300_000;
/** Jordan Ellis lives at 6 Lime Grove, B31 2QT (see seedPartnership); the phone number is found by its pattern. */
const MINUTES =
  "JORDAN ELLIS's mother attended. Police seized Jordan's phone (07700 900456); he still lives at 6 Lime Grove, B31 2QT. " +
  'Youth workers met him at the Bramblegate Café, where the group gathers.';
const MANUAL = 'Bramblegate Café';

/** Moves a closed select to the option whose text starts with `label`, with the arrow keys. */
const countText = (page: Page) => page.getByTestId('redaction-count').textContent();

describe('redacted minutes for the open audience', () => {
  it(
    'are reviewed, exported, previewed and saved with the keyboard alone',
    async () => {
      let seeded: MeetingsSeed | undefined;
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedMeetings(call);
          await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
          await call('session.setJustification', { justification: JUSTIFICATION });
          const { meeting } = await call('meetings.get', { meetingId: seeded.nextMeetingId });
          const item = meeting.agenda.find((i) => i.case?.id === seeded!.partnership.cases.jordan.id)!;
          await call('minutes.saveItem', { meetingId: meeting.id, agendaItemId: item.id, revision: 0, paragraphs: [{ text: MINUTES }] });
          await call('session.lock', {});
        },
      });
      const { page } = app;
      const meetingId = seeded!.nextMeetingId;
      await unlockAs(page, MANAGER);

      // ── to the meeting's Export tab ──
      await press(page, 'Meetings', true);
      await expect.poll(() => page.getByTestId('meeting-count').textContent()).toMatch(/^\d+ meetings?$/);
      await tabTo(page, {
        text: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
          new Date(`${inDays(7)}T00:00:00Z`),
        ),
        tag: 'button',
      });
      await page.keyboard.press('Enter');
      await tabTo(page, { id: 'meeting-tab-details' });
      await page.keyboard.press('End');
      expect(await focusedId(page)).toBe('meeting-tab-export');
      await page.locator('#meeting-panel-export').waitFor();

      // ── the review: the open audience is chosen; every automatic redaction is listed with its context ──
      expect(await page.locator('#export-audience').isChecked()).toBe(false);
      expect(await page.locator('#export-audience-open').isChecked()).toBe(true);
      await expect.poll(() => countText(page)).toMatch(/^\d+ redactions$/);
      const matches = await page.locator('[data-testid="redaction-row"] mark').allTextContents();
      for (const identifier of ['JORDAN ELLIS', 'Jordan', '07700 900456', '6 Lime Grove', 'B31 2QT']) {
        expect(matches.map(foldString).join('|'), identifier).toContain(foldString(identifier));
      }
      const automatic = matches.length;
      await screenshot(page, 'minutes-export-01-review');
      await expectNoAxeViolations(page, 'redaction review');

      // Undo one: the first redaction (the name in upper case) is kept in the export.
      const undoneMatch = matches[0]!;
      await press(page, 'Undo');
      await expect.poll(() => countText(page)).toBe(`${automatic} redactions, 1 undone`);
      expect(await page.locator('[data-testid="redaction-row"]').first().textContent()).toContain('Not redacted');
      // Focus stays on the same button, which now offers to redact it again.
      expect(await page.evaluate('document.activeElement?.textContent')).toMatch(/^Redact again/);

      // Add one: nothing selected first, so the form says what is missing beside the text.
      await chooseOption(page, 'redact-text', 'Item');
      await press(page, 'Redact the selected words');
      await expect.poll(() => page.locator('#redact-source-error').textContent()).toContain('Select the words to redact');
      await expectNoAxeViolations(page, 'add a redaction with an error');
      // Select "Bramblegate Café" with the arrow keys and Shift, as a keyboard user does.
      await tabTo(page, { id: 'redact-source' }, { backwards: true });
      await page.keyboard.press('Control+Home');
      const at = MINUTES.indexOf(MANUAL);
      for (let i = 0; i < at; i++) await page.keyboard.press('ArrowRight');
      for (let i = 0; i < MANUAL.length; i++) await page.keyboard.press('Shift+ArrowRight');
      expect(
        await page.evaluate(
          '(() => { const t = document.getElementById("redact-source"); return t.value.slice(t.selectionStart, t.selectionEnd); })()',
        ),
      ).toBe(MANUAL);
      await press(page, 'Redact the selected words');
      await expect.poll(() => countText(page)).toBe(`${automatic + 1} redactions, 1 undone`);
      const manualRow = page.locator('[data-testid="redaction-row"]', { hasText: 'manual redaction' });
      expect(await manualRow.locator('mark').textContent()).toBe(MANUAL);
      await screenshot(page, 'minutes-export-02-reviewed');
      await expectNoAxeViolations(page, 'reviewed redactions');

      // ── export: the confirmation is asked for first ──
      await typeInto(page, { id: 'export-recipients' }, 'Northfield open meeting members');
      await press(page, 'Export and preview');
      await expect.poll(() => page.locator('#export-confirmed-error').textContent()).toContain('Confirm that you have reviewed');
      await tabTo(page, { id: 'export-confirmed' }, { backwards: true });
      await page.keyboard.press('Space');
      // Every value the progress bar shows, from the moment the export is asked for.
      await page.evaluate(`(() => {
        window.__progress = [];
        const record = () => {
          const bar = document.getElementById('export-progress');
          if (bar && window.__progress.at(-1) !== bar.value) window.__progress.push(bar.value);
        };
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
      })()`);
      await press(page, 'Export and preview');
      await page.locator('#exported').waitFor();
      expect(await focusedId(page)).toBe('exported');
      // The bar was there while the export ran, is full now, and the end was announced.
      const shown = (await page.evaluate('window.__progress')) as number[];
      expect(shown[0]).toBeLessThan(100);
      expect(shown.at(-1)).toBe(100);
      expect(await page.locator('#export-progress').evaluate((bar) => (bar as unknown as { value: number }).value)).toBe(100);
      expect(await page.locator('label[for="export-progress"]').textContent()).toBe('Export finished');
      expect(await page.getByTestId('export-announcement').textContent()).toMatch(/^The open minutes are exported \([\d,]+ bytes\)/);
      await expectNoAxeViolations(page, 'export finished');
      const sha256 = (await page.getByTestId('exported-sha256').textContent())!;

      // ── the preview: PDF.js draws the page and its text layer, from the file just exported ──
      await expect.poll(() => page.getByTestId('preview-page').textContent(), { timeout: 30_000 }).toMatch(/^Page 1 of \d+$/);
      await page.locator('.react-pdf__Page canvas').waitFor();
      await expect
        .poll(() => page.locator('.react-pdf__Page .textLayer').textContent(), { timeout: 30_000 })
        .toContain('OFFICIAL-SENSITIVE');
      const canvasInk = await page.evaluate(`(() => {
        const c = document.querySelector('.react-pdf__Page canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++;
        return dark;
      })()`);
      expect(canvasInk).toBeGreaterThan(1000);
      const pages = Number(/of (\d+)/.exec((await page.getByTestId('preview-page').textContent())!)![1]);
      if (pages > 1) {
        await press(page, 'Next page');
        await expect.poll(() => page.getByTestId('preview-page').textContent()).toBe(`Page 2 of ${pages}`);
      }
      await screenshot(page, 'minutes-export-03-preview');
      await expectNoAxeViolations(page, 'preview');
      // PDF.js ran its worker from the app's own origin, and the page and the worker came with the CSP
      // header production sends (main/ stamps the same policy on concordat://): what the preview needs
      // here is what it gets inside Electron.
      const origin = new URL(app.transport.pageUrl).origin;
      const pdfWorkers = page
        .workers()
        .map((w) => w.url())
        .filter((url) => /\/pdf\.worker\.min-[^/]*\.mjs$/.test(new URL(url).pathname));
      expect(pdfWorkers).toHaveLength(1);
      for (const url of [...pdfWorkers, app.transport.pageUrl]) {
        expect(new URL(url).origin).toBe(origin);
        expect((await fetch(url)).headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      }

      // ── save: the file is the one recorded as a disclosure, with the review ──
      await tabTo(page, { text: 'Save the PDF', tag: 'button' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      expect(download.suggestedFilename()).toMatch(/-open\.pdf$/);
      const file = (await download.path())!;
      execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
      const text = foldString(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).replace(/\s+/g, ' ');
      expect(text).toContain(foldString(undoneMatch));
      for (const gone of ['07700 900456', 'lime grove', 'b31 2qt', 'bramblegate']) expect(text, gone).not.toContain(gone);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(sha256);
      const { entries } = await app.call('audit.query', { filter: { kind: 'disclosure' }, limit: 10 });
      const disclosure = entries.find((e) => e.details.sha256 === sha256)!;
      expect(disclosure).toMatchObject({ operation: 'minutes.export', entityId: String(meetingId), justification: JUSTIFICATION });
      expect(disclosure.recipients).toEqual(['Northfield open meeting members']);
      expect(disclosure.details.review).toMatchObject({ undone: [expect.any(String)], added: [{ start: at, end: at + MANUAL.length }] });
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
