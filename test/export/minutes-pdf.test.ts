// Real PDFs, read back with pdftotext and checked with qpdf: the closed export holds every planted
// identifier, the open and board exports hold none of them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIENCES, type Audience } from '../../src/contract/audiences.js';
import { foldString } from '../../src/domain/redaction.js';
import {
  EMPTY_REVIEW,
  buildMinutesDocument,
  buildMinutesExport,
  redactionsForReview,
  type BoardIndicators,
  type RedactionReview,
} from '../../src/export/minutes-model.js';
import { writeMinutesPdf } from '../../src/export/minutes-pdf.js';
import { exportMinutesOnce } from '../../src/export/minutes-worker-pool.js';
import { seeded, syntheticMeeting } from '../../bench/support/synthetic-minutes.js';

const dir = mkdtempSync(join(tmpdir(), 'minutes-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(bytes: Buffer, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Whether `needle` appears in `haystack` as whole words, ignoring case, accents and spacing (line breaks included). */
function found(haystack: string, needle: string): boolean {
  const word = 'a-z0-9\\u00c0-\\uffff';
  const words = foldString(needle)
    .split(/[^a-z0-9\u00c0-\uffff@.+]+/)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return words.length > 0 && new RegExp(`(?<![${word}])${words.join(`[^${word}]*`)}(?![${word}])`).test(foldString(haystack));
}

/** Indicators as the export service passes them for the board (the figures themselves: test/services/board-indicators). */
function boardIndicators(seed: number): BoardIndicators {
  const row = (period: string, n: number) => ({
    period,
    interventions: n,
    casesClosed: n + 1,
    casesResolved: n,
    percentResolved: Math.round((n / (n + 1)) * 1000) / 10,
    enforcementByType: { community_protection_warning: n },
    breaches: 0,
    escalations: 0,
    faceThePublic: seed,
    communityTension: 0,
    triggersReceived: 1,
    triggersThresholdNotMet: 0,
    triggerReviewsHeld: 1,
    triggerReviewsWithRecommendations: 1,
  });
  return { from: '2025-03-08', to: '2026-03-07', area: 'Northfield', rows: [row('2025-Q1', 1), row('2025-Q2', 2)], total: row('total', 3) };
}

function exportInput(seed: number, audience: Audience, review: RedactionReview = EMPTY_REVIEW) {
  const { meeting, cases, planted } = syntheticMeeting(seeded(seed), seed);
  return {
    planted,
    input: {
      meeting,
      cases,
      audience,
      review,
      recipients: ['Northfield partnership'],
      organisation: 'Northfield Community Safety Partnership',
      exportedAt: '2026-03-07T09:00:00.000Z',
      auditHead: 'ab'.repeat(32),
      indicators: audience === 'board' ? boardIndicators(seed) : null,
    },
  };
}

describe('minutes PDF', () => {
  it('leak test: 50 meetings, open and board hold no planted identifier, closed holds all of them', async () => {
    let planted = 0;
    const leaks: string[] = [];
    const missing: string[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      for (const audience of AUDIENCES) {
        const { input, planted: plants } = exportInput(seed, audience);
        const text = pdfText(await writeMinutesPdf(buildMinutesDocument(input)), `m${seed}-${audience}.pdf`);
        if (audience === 'closed') planted += plants.length;
        for (const p of plants) {
          const there = found(text, p.text);
          if (audience === 'closed' && !there) missing.push(`${p.kind}: ${p.text}`);
          if (audience !== 'closed' && there) leaks.push(`${audience} ${p.kind}: ${JSON.stringify(p.text)}`);
        }
        const closedMarker = /CLOSEDONLY/.test(text);
        if (audience !== 'closed' && closedMarker) leaks.push(`${audience}: closed-only content`);
        if (audience === 'closed' && !closedMarker) missing.push('closed-only content');
        expect(text).toContain('OFFICIAL-SENSITIVE');
        expect(text.includes('Outcome indicators'), audience).toBe(audience === 'board');
      }
    }
    console.info(
      `[leak test: pdf] 50 meetings × 3 audiences, planted ${planted}, leaks ${leaks.length}, missing from closed ${missing.length}`,
    );
    expect(leaks).toEqual([]);
    expect(missing).toEqual([]);
    expect(planted).toBeGreaterThan(50 * 3 * 15);
  }, 400_000);

  it('marks every page, numbers pages "X of Y", keeps metadata to title and organisation, embeds the font', async () => {
    const { input } = exportInput(7, 'open');
    const bytes = await writeMinutesPdf(buildMinutesDocument(input));
    const file = join(dir, 'meta.pdf');
    writeFileSync(file, bytes);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    for (let page = 1; page <= pages; page++) {
      const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'], { encoding: 'utf8' });
      expect(text.match(/OFFICIAL-SENSITIVE/g)?.length, `page ${page}`).toBeGreaterThanOrEqual(2);
      expect(text).toContain(`Page ${page} of ${pages}`);
    }
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Minutes: People meeting, Northfield/);
    expect(info).toMatch(/Author:\s+Northfield Community Safety Partnership/);
    expect(info).not.toMatch(/Producer|Creator/);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/DejaVuSans/);
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/Lang (en-GB)');
    expect(raw).not.toMatch(/\/Outlines|\/Annots/);
  });

  it('is byte-identical for the same meeting, review and export time, in a worker or not', async () => {
    if (!existsSync(new URL('../../dist/src/export/minutes-worker.js', import.meta.url))) throw new Error('run npm run build first');
    const { input } = exportInput(3, 'open');
    const document = buildMinutesDocument(input);
    const progress: string[] = [];
    const [a, b, c] = [
      await writeMinutesPdf(document),
      await writeMinutesPdf(buildMinutesDocument(exportInput(3, 'open').input)),
      (await exportMinutesOnce(input, (p) => progress.push(p.phase))).pdf,
    ];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(true);
    expect(progress[0]).toBe('model');
    expect(progress).toContain('layout');
    expect(progress.at(-1)).toBe('done');
  });

  it('uses the reviewed set: an undone redaction is written, a manual one is not', async () => {
    const { input, planted } = exportInput(11, 'open');
    const reviewList = redactionsForReview(input.meeting, input.cases, 'open');
    expect(reviewList.length).toBeGreaterThan(20);
    const firstName = reviewList.find((r) => r.reason === 'name')!;
    const paragraph = input.meeting.minutes.items[0]!.paragraphs[0]!;
    const manualWord = 'support worker';
    const start = paragraph.text.indexOf(manualWord);
    const review: RedactionReview = {
      undone: [firstName.key],
      added: [{ textId: `paragraph:${paragraph.id}`, start, end: start + manualWord.length }],
    };
    const unreviewed = pdfText(await writeMinutesPdf(buildMinutesDocument(input)), 'unreviewed.pdf');
    const text = pdfText(await writeMinutesPdf(buildMinutesDocument({ ...input, review })), 'reviewed.pdf');
    const count = (t: string, word: string) => t.replace(/\s+/g, ' ').split(word).length - 1;
    expect(found(unreviewed, firstName.match)).toBe(false);
    expect(found(text, firstName.match)).toBe(true);
    expect(count(text, manualWord)).toBe(count(unreviewed, manualWord) - 1);
    expect(text).toContain('[redacted]');
    expect(planted.length).toBeGreaterThan(0);
    // The count the export reports (made while releasing the text) is the review's.
    const reviewed = redactionsForReview(input.meeting, input.cases, 'open', review).filter((r) => !r.undone).length;
    expect(buildMinutesExport({ ...input, review }).redactions).toBe(reviewed);
    expect(buildMinutesExport(input).redactions).toBe(reviewList.length);
  });

  it('is tagged for screen readers: title, details, sections, headings, paragraphs and tables; marking and page numbers are artifacts', async () => {
    const { input } = exportInput(5, 'open');
    const file = join(dir, 'tagged.pdf');
    writeFileSync(file, await writeMinutesPdf(buildMinutesDocument(input)));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
    const tree = execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8' });
    const element = (type: string) => new RegExp(`^\\s*${type}\\b`, 'm');
    for (const type of ['Document', 'H1', 'L', 'LI', 'Lbl', 'LBody', 'Sect', 'H2', 'H3', 'P', 'Table', 'TR', 'TH', 'TD']) {
      expect(tree, type).toMatch(element(type));
    }
    expect(tree).toMatch(/H1 \(block\)\n\s+"Minutes: People meeting, Northfield/);
    expect(tree).toMatch(/H2 \(block\)\n\s+"Actions"/);
    expect(tree).toMatch(/TH\n\s+"Action"/);
    // Every page carries the marking twice and its number, but a screen reader meets the marking once (the
    // title page's line about it) and no page number: they are artifacts, outside the tree.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(2);
    expect(tree.match(/OFFICIAL-SENSITIVE/g)).toHaveLength(1);
    expect(tree).not.toMatch(/Page \d+ of/);
    // The text the tree holds is the text on the pages (nothing hidden, nothing only in the tree).
    const pageText = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const quoted of tree.match(/"[^"\n]{12,}"/g) ?? []) expect(pageText).toContain(quoted.slice(1, -1).replace(/\s+/g, ''));
  });
});
