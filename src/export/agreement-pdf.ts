// The signed agreement as a PDF: its text, the member-expectations table, the signatures (drawn ones as
// the PNG captured in the room), the witness, the date and the document hash, with OFFICIAL-SENSITIVE
// at the head and foot of every page. DejaVu Sans is embedded (subset) so any name in any script prints
// and the text can be extracted; the metadata holds the title and the organisation, nothing else.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { AgreementDetail } from '../contract/ops/agreements.js';
import { AGREEMENT_KIND_LABELS } from '../domain/agreements.js';

export const MARKING = 'OFFICIAL-SENSITIVE';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 56;
const BAND = 28;

type Doc = InstanceType<typeof PDFDocument>;

function londonDateTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }).format(new Date(iso));
}

function longDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** Starts a new page when `height` more points would not fit above the footer band. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function heading(doc: Doc, text: string, size = 13): void {
  ensureRoom(doc, size * 3);
  doc.moveDown(0.6).font('bold').fontSize(size).text(text, MARGIN).font('body').fontSize(10).moveDown(0.3);
}

function expectationsTable(doc: Doc, rows: AgreementDetail['expectations']): void {
  const width = doc.page.width - 2 * MARGIN;
  const columns = [
    { header: 'Partner', width: width * 0.18, cell: (r: AgreementDetail['expectations'][number]) => r.partner },
    { header: 'Department', width: width * 0.2, cell: (r: AgreementDetail['expectations'][number]) => r.department },
    {
      header: 'Responsibilities',
      width: width * 0.44,
      cell: (r: AgreementDetail['expectations'][number]) => r.responsibilities.map((x) => `• ${x}`).join('\n'),
    },
    { header: 'Officer level', width: width * 0.18, cell: (r: AgreementDetail['expectations'][number]) => r.officerLevel },
  ];
  const pad = 4;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'body').fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
    ensureRoom(doc, height);
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.rect(x, top, columns[i]!.width, height).lineWidth(0.5).stroke('#505a5f');
      doc.fillColor('black').text(c, x + pad, top + pad, { width: columns[i]!.width - 2 * pad });
      x += columns[i]!.width;
    });
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  for (const row of rows)
    drawRow(
      columns.map((c) => c.cell(row)),
      false,
    );
  doc.font('body').fontSize(10).moveDown(0.5);
}

function signatureBlock(doc: Doc, label: string, signer: NonNullable<AgreementDetail['signatory']>, organisation: string | null): void {
  ensureRoom(doc, 150);
  doc.font('bold').fontSize(11).text(label, MARGIN).font('body').fontSize(10);
  doc.text(`Name: ${signer.name}`);
  if (organisation) doc.text(`Organisation: ${organisation}`);
  doc.text(`Role: ${signer.role}`);
  if (signer.method === 'drawn' && signer.png) {
    doc.text('Signature (drawn):');
    const top = doc.y + 2;
    const image = Buffer.from(signer.png.slice(signer.png.indexOf(',') + 1), 'base64');
    doc.rect(MARGIN, top, 240, 80).lineWidth(0.5).stroke('#b1b4b6');
    doc.image(image, MARGIN + 4, top + 4, { fit: [232, 72], valign: 'center' });
    doc.x = MARGIN;
    doc.y = top + 86;
  } else {
    doc.text(`Signature (typed, with attestation): ${signer.typedName ?? ''}`);
  }
  doc.moveDown(0.6);
}

/** Marks every page, head and foot, once the whole document is laid out (pages are buffered). */
function markPages(doc: Doc, hash: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - 2 * MARGIN;
    doc.font('bold').fontSize(10).fillColor('black');
    doc.text(MARKING, MARGIN, BAND - 8, { width, align: 'center', lineBreak: false });
    doc.text(MARKING, MARGIN, doc.page.height - BAND - 8, { width, align: 'center', lineBreak: false });
    doc.font('body').fontSize(7).fillColor('#505a5f');
    doc.text(`Page ${i - start + 1} of ${count} · SHA-256 ${hash.slice(0, 16)}…`, MARGIN, doc.page.height - BAND + 6, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}

/** `auditHead`: the log's head at export ("SEQ:HASH"), printed so the export can later anchor the chain. */
export function renderAgreementPdf(agreement: AgreementDetail & { auditHead?: string }): Promise<Buffer> {
  if (!agreement.signedAt || !agreement.hash || !agreement.signatory || !agreement.witness) {
    return Promise.reject(new Error('only a signed agreement is written as a PDF'));
  }
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    font: FONT,
    info: { Title: `${agreement.title}: ${agreement.organisation}`, Subject: agreement.organisation },
  });
  // The metadata says what the document is and for whom; not which program or when (the signing date is in the text).
  const info = doc.info as unknown as Record<string, unknown>;
  delete info.Producer;
  delete info.Creator;
  // pdfkit reads CreationDate again when it finishes (for XMP, which a PDF 1.3 file does not carry): kept
  // for it, but out of the Info dictionary it writes.
  Object.defineProperty(info, 'CreationDate', { enumerable: false });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc
    .font('bold')
    .fontSize(18)
    .text(agreement.title, MARGIN, MARGIN + 6);
  doc.font('body').fontSize(11).text(agreement.groupName).moveDown(0.4);
  doc
    .fontSize(10)
    .text(`Organisation: ${agreement.organisation}`)
    .text(`${AGREEMENT_KIND_LABELS[agreement.kind]}, version ${agreement.version} (template version ${agreement.templateVersion})`)
    .text(`Review date: ${longDate(agreement.reviewDate!)} · in force until ${longDate(agreement.validUntil!)}`);

  for (const section of agreement.sections) {
    heading(doc, section.heading);
    for (const paragraph of section.body.split('\n')) {
      ensureRoom(doc, 30);
      doc.text(paragraph, MARGIN, doc.y, { align: 'left' }).moveDown(0.4);
    }
  }

  if (agreement.expectations.length > 0) {
    heading(doc, 'Member expectations');
    expectationsTable(doc, agreement.expectations);
  }

  // The statement and the signatures under it stay on one page.
  ensureRoom(doc, 300);
  heading(doc, 'Agreement');
  doc.font('body').fontSize(11).text(agreement.statement, MARGIN).moveDown(0.8).fontSize(10);
  signatureBlock(doc, 'Signed', agreement.signatory, agreement.organisation);
  signatureBlock(doc, 'Witness', agreement.witness, null);

  ensureRoom(doc, 90);
  doc
    .font('bold')
    .fontSize(11)
    .text('Date', MARGIN)
    .font('body')
    .fontSize(10)
    .text(`${londonDateTime(agreement.signedAt)} (${agreement.signedAt})`)
    .moveDown(0.6);
  doc
    .font('bold')
    .fontSize(11)
    .text('Document hash (SHA-256 of the sealed agreement)')
    .font('body')
    .fontSize(9)
    .text(agreement.hash)
    .moveDown(0.4);
  if (agreement.auditHead) {
    doc.font('bold').fontSize(11).text('Audit log head at export').font('body').fontSize(9).text(agreement.auditHead).moveDown(0.4);
  }
  doc
    .fontSize(8)
    .fillColor('#505a5f')
    .text(
      'The hash is computed over the agreement exactly as signed, signatures included, and is recorded in the audit log. `concordat verify-document` checks this file against the log.',
    )
    .fillColor('black');

  markPages(doc, agreement.hash);
  doc.end();
  return done;
}
