/**
 * A label for a box of paper originals: its code and place, and every document filed in it (archive number,
 * signing date, title), as a PDF to print and stick on the box. Chinese titles are drawn as images with a
 * system CJK font (proof/text-image.ts), since PDF's standard fonts cannot show them.
 */
import { writeFile } from 'node:fs/promises';
import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { SlipVaultError } from '../../../shared/errors';
import type { ExportedFile } from '../../../shared/model';
import type { BoxLabelResult, StorageLocation } from '../../../shared/records';
import { toStorageError } from '../fs-errors';
import { loadPdfLib } from '../lazy/pdf-lib';
import { sha256 } from '../store/blobs';
import { cjkTextPainter, type TextPainter } from '../proof/text-image';

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 48;

const isPrintableAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

export interface BoxContents {
  box: StorageLocation;
  documents: { archiveNo: string; title: string; signedDate: string | null }[];
  printedAt: string;
}

class LabelWriter {
  private page: PDFPage;
  private y = PAGE_HEIGHT - MARGIN;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
    private readonly ink: Color,
    private readonly painter: TextPainter | null,
  ) {
    this.page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  }

  private nextLine(height: number): void {
    if (this.y - height < MARGIN) {
      this.page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
      this.y = PAGE_HEIGHT - MARGIN;
    }
    this.y -= height;
  }

  /** One line: ASCII as text, anything else as an image when a CJK font exists (else its code points). */
  async line(text: string, size: number, x = MARGIN): Promise<void> {
    const width = PAGE_WIDTH - MARGIN - x;
    if (isPrintableAscii(text) || this.painter === null) {
      this.nextLine(size * 1.4);
      const shown = isPrintableAscii(text)
        ? text
        : [...text].map((char) => (isPrintableAscii(char) ? char : `U+${char.codePointAt(0)!.toString(16)}`)).join('');
      this.page.drawText(shown, { x, y: this.y, size, font: this.font, color: this.ink, maxWidth: width });
      return;
    }
    for (const image of this.painter.paint(text, size, width)) {
      this.nextLine(Math.max(image.height, size * 1.4));
      this.page.drawImage(await this.pdf.embedPng(image.png), { x, y: this.y, width: image.width, height: image.height });
    }
  }
}

export async function boxLabelPdf(contents: BoxContents, painter: TextPainter | null = cjkTextPainter()): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, rgb } = await loadPdfLib();
  const pdf = await PDFDocument.create();
  pdf.setTitle(`SlipVault box ${contents.box.code}`);
  pdf.setProducer('SlipVault');
  pdf.setCreationDate(new Date(contents.printedAt));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const writer = new LabelWriter(pdf, font, rgb(0, 0, 0), painter);
  await writer.line(`Box ${contents.box.code}`, 28);
  if (contents.box.label) await writer.line(contents.box.label, 16);
  await writer.line(`Location: ${contents.box.path.join(' / ')}`, 12);
  await writer.line(`${contents.documents.length} document(s), printed ${contents.printedAt.slice(0, 10)}`, 10);
  for (const document of contents.documents) {
    await writer.line(`${document.archiveNo}   ${document.signedDate ?? '----------'}`, 10);
    await writer.line(document.title, 10, MARGIN + 24);
  }
  return pdf.save();
}

function refuseUnlessBox(contents: BoxContents): void {
  if (contents.box.kind !== 'box') {
    throw new SlipVaultError('VALIDATION', `${contents.box.code} is a ${contents.box.kind}; labels are printed for boxes.`, {
      location: contents.box.code,
    }).withMessage('locations.labelNotBox', { location: contents.box.code });
  }
}

/** The label of `box` as a file for the window to download (the preview cannot hand a browser a path). */
export async function boxLabelFile(contents: BoxContents): Promise<ExportedFile> {
  refuseUnlessBox(contents);
  const bytes = await boxLabelPdf(contents);
  return { filename: `box-${contents.box.code}.pdf`, mime: 'application/pdf', base64: Buffer.from(bytes).toString('base64'), rows: contents.documents.length };
}

/** Writes the label of `box` to `out`; the location must be a box. */
export async function writeBoxLabel(contents: BoxContents, out: string): Promise<BoxLabelResult> {
  refuseUnlessBox(contents);
  const bytes = await boxLabelPdf(contents);
  try {
    await writeFile(out, bytes);
  } catch (error) {
    throw toStorageError(error, `Could not write the box label to ${out}`);
  }
  return {
    box: contents.box.code,
    path: contents.box.path,
    documents: contents.documents.map((document) => document.archiveNo),
    out,
    sha256: sha256(bytes),
  };
}
