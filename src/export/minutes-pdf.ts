// Lays out a MinutesDocument as a PDF with pdfkit. It writes only what the document holds (the audience
// decisions were made in minutes-model.ts): no outline, no annotations, metadata of title and organisation
// only, dates taken from the export time so the same export gives the same bytes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { PROTECTIVE_MARKING, type Block, type MinutesDocument } from './minutes-model.js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
export const FONT_BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

export interface ExportProgress {
  phase: 'layout' | 'pages' | 'done';
  done: number;
  total: number;
}

const MARGIN = 56;
const BODY_TOP = 72;
const BODY_BOTTOM = 64;
const SIZE = { body: 10, heading: 14, title: 20, small: 8 };

/** Writes the document; `onProgress` hears about each section laid out and each page finished. */
export async function writeMinutesPdf(document: MinutesDocument, onProgress: (p: ExportProgress) => void = () => {}): Promise<Buffer> {
  const when = new Date(document.exportedAt);
  const doc = new PDFDocument({
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
  doc.registerFont('body', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);

  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = () => doc.page.width - MARGIN * 2;
  const bottom = () => doc.page.height - BODY_BOTTOM;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const paragraph = (text: string, font = 'body', size = SIZE.body, gap = 6) => {
    doc.font(font).fontSize(size);
    ensure(doc.heightOfString(text, { width: width() }) > bottom() - BODY_TOP ? size * 2 : doc.heightOfString(text, { width: width() }));
    doc.text(text, MARGIN, doc.y, { width: width() });
    doc.moveDown(gap / size);
  };

  // Title page.
  doc.addPage();
  doc
    .font('bold')
    .fontSize(SIZE.title)
    .text(document.title, MARGIN, BODY_TOP + 40, { width: width() });
  doc.moveDown(1);
  for (const [label, value] of document.titlePage) {
    doc.font('bold').fontSize(SIZE.body).text(label, { width: width() });
    doc.font('body').fontSize(SIZE.body).text(value, { width: width() });
    doc.moveDown(0.5);
  }

  const total = document.sections.length;
  for (const [index, section] of document.sections.entries()) {
    doc.addPage();
    paragraph(section.heading, 'bold', SIZE.heading, 10);
    for (const block of section.blocks) writeBlock(block);
    onProgress({ phase: 'layout', done: index + 1, total });
  }

  function writeBlock(block: Block): void {
    if (block.kind === 'heading') {
      ensure(60);
      paragraph(block.text, 'bold', 11, 4);
      return;
    }
    if (block.kind === 'paragraph') {
      paragraph(block.text);
      return;
    }
    const columns = block.widths.map((w) => w * width());
    const rowHeight = (cells: readonly string[], font: string) => {
      doc.font(font).fontSize(SIZE.body);
      return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: columns[i]! - 8 }))) + 6;
    };
    const drawRow = (cells: readonly string[], font: string) => {
      const height = rowHeight(cells, font);
      const top = doc.y;
      let x = MARGIN;
      doc.font(font).fontSize(SIZE.body);
      for (const [i, cell] of cells.entries()) {
        doc.text(cell, x + 4, top + 3, { width: columns[i]! - 8, lineBreak: true });
        x += columns[i]!;
      }
      doc
        .moveTo(MARGIN, top + height)
        .lineTo(MARGIN + width(), top + height)
        .lineWidth(0.5)
        .strokeColor('#888888')
        .stroke();
      doc.x = MARGIN;
      doc.y = top + height;
    };
    ensure(rowHeight(block.columns, 'bold') * 2);
    drawRow(block.columns, 'bold');
    for (const row of block.rows) {
      if (doc.y + rowHeight(row, 'body') > bottom()) {
        doc.addPage();
        drawRow(block.columns, 'bold');
      }
      drawRow(row, 'body');
    }
    if (block.rows.length === 0) paragraph('None.');
    doc.moveDown(0.5);
  }

  // The marking and page numbers on every page, once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    doc.font('bold').fontSize(SIZE.small);
    doc.text(PROTECTIVE_MARKING, MARGIN, 28, { width: width(), align: 'center', lineBreak: false });
    doc.text(PROTECTIVE_MARKING, MARGIN, doc.page.height - 40, { width: width(), align: 'left', lineBreak: false });
    doc
      .font('body')
      .text(`Page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - 40, { width: width(), align: 'right', lineBreak: false });
    doc.page.margins = margins;
    if ((i + 1) % 20 === 0) onProgress({ phase: 'pages', done: i + 1, total: range.count });
  }
  doc.end();
  const bytes = await finished;
  onProgress({ phase: 'done', done: range.count, total: range.count });
  return bytes;
}
