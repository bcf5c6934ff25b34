// Lays out a MinutesDocument as a PDF with pdfkit. It writes only what the document holds (the audience
// decisions were made in minutes-model.ts): no outline, no annotations, metadata of title and organisation
// only, dates taken from the export time so the same export gives the same bytes.
// The text is tagged for screen readers: a Document with the H1 title, the title page's details as a list
// (L/LI/Lbl/LBody), then sections, each with its H2 heading, H3 item headings, P paragraphs and
// Table/TR/TH/TD tables; the marking, page numbers, rules and a table's repeated header row
// are artifacts, so a reader skips them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { PROTECTIVE_MARKING, type Block, type MinutesDocument } from './minutes-model.js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
export const FONT_BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

// ── fonts, loaded once per thread ─────────────────────────────────────────────────────────────────────
// A worker kept between exports parses each font once, and keeps the shaping of every word it has laid out
// (fontkit's layout is a quarter of an export's time): the next export shapes only words it has not met.

interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FontkitFont {
  layout(text: string, features?: unknown): { glyphs: readonly unknown[]; positions: readonly GlyphPosition[] };
}

/**
 * What pdfkit reads of a glyph run. pdfkit scales the positions in place, so each caller gets its own copy.
 * The width is summed once: pdfkit reads it only after scaling, keeps the run for the document and reads
 * it again for every later use of the word, and never changes a position after (it copies one to space it).
 */
class ShapedRun {
  private width: number | undefined;
  constructor(
    readonly glyphs: readonly unknown[],
    readonly positions: GlyphPosition[],
  ) {}
  get advanceWidth(): number {
    if (this.width === undefined) {
      let width = 0;
      for (const p of this.positions) width += p.xAdvance;
      this.width = width;
    }
    return this.width;
  }
}

const copyPosition = (p: GlyphPosition): GlyphPosition => ({
  xAdvance: p.xAdvance,
  yAdvance: p.yAdvance,
  xOffset: p.xOffset,
  yOffset: p.yOffset,
});
const SHAPED_WORDS_KEPT = 200_000;

function withShapingCache(font: FontkitFont): FontkitFont {
  const shaped = new Map<string, { glyphs: readonly unknown[]; positions: readonly GlyphPosition[] }>();
  const layout = (text: string, features?: unknown) => {
    if (features) return font.layout(text, features);
    let run = shaped.get(text);
    if (!run) {
      const fresh = font.layout(text);
      run = { glyphs: fresh.glyphs, positions: fresh.positions.map(copyPosition) };
      if (shaped.size >= SHAPED_WORDS_KEPT) shaped.clear();
      shaped.set(text, run);
    }
    return new ShapedRun(run.glyphs, run.positions.map(copyPosition));
  };
  return new Proxy(font as FontkitFont & object, {
    get: (target, property) => (property === 'layout' ? layout : Reflect.get(target, property, target)),
  });
}

/** The parsed font pdfkit would make of the file (pdfkit accepts a parsed font in place of the bytes). */
function parsedFont(file: string): FontkitFont {
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.registerFont('probe', readFileSync(file));
  probe.font('probe');
  return withShapingCache((probe as unknown as { _font: { font: FontkitFont } })._font.font);
}

/**
 * pdfkit measures every word of a paragraph to break its lines, and forgets the measures at the end of the
 * paragraph; the width of a string in a font at 1000 units does not change, so it is kept for the thread.
 * Kept per pdfkit font (an EmbeddedFont, one per document and font) by the fontkit font it wraps.
 */
interface PdfkitRun {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}
interface EmbeddedFont {
  font: FontkitFont;
  layout(
    text: string,
    features?: unknown,
    onlyWidth?: boolean,
  ): { glyphs: unknown[] | null; positions: unknown[] | null; advanceWidth: number };
  layoutCached(text: string): PdfkitRun;
  widthOfString(text: string, size: number, features?: unknown): number;
}
const widthsByFont = new WeakMap<FontkitFont, Map<string, number>>();
const WIDTHS_KEPT = 200_000;
const measuring = new WeakSet<EmbeddedFont>();

/**
 * pdfkit's own layout of a string, word by word from its cache, without its concat per word (which makes
 * a line cost the square of its glyphs): the same words, glyphs, positions and width, in the same order.
 */
function layoutByWords(embedded: EmbeddedFont, original: EmbeddedFont['layout']): EmbeddedFont['layout'] {
  return (text, features, onlyWidth) => {
    if (features) return original(text, features, onlyWidth);
    const glyphs: unknown[] | null = onlyWidth ? null : [];
    const positions: unknown[] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    let last = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== 32 && code !== 9) continue;
      advanceWidth += addRun(embedded.layoutCached(text.slice(last, index + 1)), glyphs, positions);
      last = index + 1;
    }
    if (last < text.length) advanceWidth += addRun(embedded.layoutCached(text.slice(last)), glyphs, positions);
    return { glyphs, positions, advanceWidth };
  };
}

function addRun(run: PdfkitRun, glyphs: unknown[] | null, positions: unknown[] | null): number {
  if (glyphs && positions) {
    for (const glyph of run.glyphs) glyphs.push(glyph);
    for (const position of run.positions) positions.push(position);
  }
  return run.advanceWidth;
}

function measureWithThreadCaches(embedded: EmbeddedFont): void {
  if (measuring.has(embedded)) return;
  measuring.add(embedded);
  embedded.layout = layoutByWords(embedded, embedded.layout.bind(embedded));
  let widths = widthsByFont.get(embedded.font);
  if (!widths) widthsByFont.set(embedded.font, (widths = new Map()));
  const measure = embedded.widthOfString.bind(embedded);
  const known = widths;
  // The same arithmetic as pdfkit's widthOfString: the run's width at 1000 units, times size / 1000.
  embedded.widthOfString = (text, size, features) => {
    if (features) return measure(text, size, features);
    let width = known.get(text);
    if (width === undefined) {
      width = embedded.layout(text, features, true).advanceWidth;
      if (known.size >= WIDTHS_KEPT) known.clear();
      known.set(text, width);
    }
    return width * (size / 1000);
  };
}

let loadedFonts: { regular: FontkitFont; bold: FontkitFont } | null = null;
function fonts(): { regular: Buffer; bold: Buffer } {
  loadedFonts ??= { regular: parsedFont(FONT_REGULAR), bold: parsedFont(FONT_BOLD) };
  // Typed as pdfkit's declaration has it; at run time pdfkit takes any object with a `layout` method.
  return loadedFonts as unknown as { regular: Buffer; bold: Buffer };
}

export interface ExportProgress {
  /** model: the audience's document (and its redaction) is built; layout: blocks laid out; pages: marked and numbered. */
  phase: 'model' | 'layout' | 'pages' | 'done';
  done: number;
  total: number;
}

const A4_WIDTH = 595.28;
const MARGIN = 56;
const BODY_TOP = 72;
const BODY_BOTTOM = 64;
const SIZE = { body: 10, heading: 14, title: 20, small: 8 };
/** Progress is reported about a hundred times whatever the size, so a large export does not flood the port. */
const PROGRESS_STEPS = 100;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

/** Writes the document; `onProgress` hears about blocks laid out and pages finished. */
export async function writeMinutesPdf(document: MinutesDocument, onProgress: (p: ExportProgress) => void = () => {}): Promise<Buffer> {
  const when = new Date(document.exportedAt);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: BODY_TOP, bottom: BODY_BOTTOM, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: false,
    lang: document.lang,
    displayTitle: true,
    tagged: true,
    pdfVersion: '1.7',
    info: { Title: document.title, Author: document.organisation, CreationDate: when, ModDate: when },
  });
  // pdfkit names itself as producer and creator by default; the brief is title and organisation only.
  const info = doc.info as unknown as Record<string, unknown>;
  delete info.Producer;
  delete info.Creator;
  doc.registerFont('body', fonts().regular);
  doc.registerFont('bold', fonts().bold);
  // Each font pdfkit opens for this document measures through the thread's kept widths.
  const openFont = doc.font.bind(doc);
  doc.font = ((...args: Parameters<Doc['font']>) => {
    openFont(...args);
    measureWithThreadCaches((doc as unknown as { _font: EmbeddedFont })._font);
    return doc;
  }) as Doc['font'];

  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = A4_WIDTH - MARGIN * 2;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const tagged = (parent: Struct, type: string, write: () => void) => parent.add(doc.struct(type, {}, write));
  const artifact = (write: () => void) => {
    doc.markContent('Artifact', { type: 'Pagination' });
    write();
    doc.endMarkedContent();
  };
  const bottom = () => doc.page.height - BODY_BOTTOM;
  /** One layout per paragraph: pdfkit flows a long one onto the next page itself. */
  const paragraph = (parent: Struct, type: string, text: string, font = 'body', size = SIZE.body, gap = 6) =>
    tagged(parent, type, () => {
      doc.font(font).fontSize(size);
      doc.text(text, MARGIN, doc.y, { width });
      doc.moveDown(gap / size);
    });

  // Title page.
  doc.addPage();
  doc.y = BODY_TOP + 40;
  paragraph(root, 'H1', document.title, 'bold', SIZE.title, SIZE.title);
  // Label and value pairs: a list whose items each have a label (Lbl) and a body (LBody).
  const details = doc.struct('L');
  root.add(details);
  for (const [label, value] of document.titlePage) {
    const item = doc.struct('LI');
    details.add(item);
    tagged(item, 'Lbl', () => doc.font('bold').fontSize(SIZE.body).text(label, { width }));
    tagged(item, 'LBody', () => {
      doc.font('body').fontSize(SIZE.body).text(value, { width });
      doc.moveDown(0.5);
    });
    item.end();
  }
  details.end();

  const totalBlocks = document.sections.reduce((n, s) => n + s.blocks.length, 0);
  const step = Math.max(1, Math.ceil(totalBlocks / PROGRESS_STEPS));
  let blocksDone = 0;
  for (const section of document.sections) {
    doc.addPage();
    const sect = doc.struct('Sect');
    root.add(sect);
    paragraph(sect, 'H2', section.heading, 'bold', SIZE.heading, 10);
    for (const block of section.blocks) {
      writeBlock(sect, block);
      blocksDone += 1;
      if (blocksDone % step === 0 || blocksDone === totalBlocks) onProgress({ phase: 'layout', done: blocksDone, total: totalBlocks });
    }
    sect.end();
  }
  root.end();

  function writeBlock(parent: Struct, block: Block): void {
    if (block.kind === 'heading') {
      // A heading is not left alone at the foot of a page.
      if (doc.y + 60 > bottom()) doc.addPage();
      paragraph(parent, 'H3', block.text, 'bold', 11, 4);
      return;
    }
    if (block.kind === 'paragraph') {
      paragraph(parent, 'P', block.text);
      return;
    }
    writeTable(parent, block);
  }

  function writeTable(parent: Struct, block: Extract<Block, { kind: 'table' }>): void {
    const columns = block.widths.map((w) => w * width);
    const rowHeight = (cells: readonly string[], font: string) => {
      doc.font(font).fontSize(SIZE.body);
      return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: columns[i]! - 8 }))) + 6;
    };
    const header = rowHeight(block.columns, 'bold');
    const drawCells = (cells: readonly string[], font: string, height: number, cell: (i: number, write: () => void) => void) => {
      const top = doc.y;
      let x = MARGIN;
      doc.font(font).fontSize(SIZE.body);
      for (const [i, text] of cells.entries()) {
        const left = x;
        cell(i, () => doc.text(text, left + 4, top + 3, { width: columns[i]! - 8, lineBreak: true }));
        x += columns[i]!;
      }
      artifact(() =>
        doc
          .moveTo(MARGIN, top + height)
          .lineTo(MARGIN + width, top + height)
          .lineWidth(0.5)
          .strokeColor('#888888')
          .stroke(),
      );
      doc.x = MARGIN;
      doc.y = top + height;
    };
    if (doc.y + header * 2 > bottom()) doc.addPage();
    const table = doc.struct('Table');
    parent.add(table);
    const headerRow = doc.struct('TR');
    table.add(headerRow);
    drawCells(block.columns, 'bold', header, (_, write) => tagged(headerRow, 'TH', write));
    headerRow.end();
    for (const row of block.rows) {
      const height = rowHeight(row, 'body');
      if (doc.y + height > bottom()) {
        doc.addPage();
        // The header repeated on a new page is for the eye; a screen reader has it once, from the first.
        artifact(() => drawCells(block.columns, 'bold', header, (_, write) => write()));
      }
      const tr = doc.struct('TR');
      table.add(tr);
      drawCells(row, 'body', height, (_, write) => tagged(tr, 'TD', write));
      tr.end();
    }
    table.end();
    if (block.rows.length === 0) paragraph(parent, 'P', 'None.');
    doc.moveDown(0.5);
  }

  // The marking and page numbers on every page, once the page count is known.
  const range = doc.bufferedPageRange();
  const pageStep = Math.max(1, Math.ceil(range.count / PROGRESS_STEPS));
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    artifact(() => {
      doc.font('bold').fontSize(SIZE.small);
      doc.text(PROTECTIVE_MARKING, MARGIN, 28, { width, align: 'center', lineBreak: false });
      doc.text(PROTECTIVE_MARKING, MARGIN, doc.page.height - 40, { width, align: 'left', lineBreak: false });
      doc.font('body').text(`Page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - 40, { width, align: 'right', lineBreak: false });
    });
    doc.page.margins = margins;
    if ((i + 1) % pageStep === 0) onProgress({ phase: 'pages', done: i + 1, total: range.count });
  }
  doc.end();
  const bytes = await finished;
  onProgress({ phase: 'done', done: range.count, total: range.count });
  return bytes;
}
