/**
 * The printable certificate of a proof package: who exported which documents of which archive and when,
 * the SHA-256 of every original and the audit chain's head. Text is set in PDF's standard fonts, which
 * cover only Latin text. Any other character (Chinese titles, customer or user names) is printed as its
 * \uXXXX escape, the notation JSON uses, so the certificate stays exact for Chinese data; when the system
 * has a CJK font, the same text is also drawn with it as a picture above the escapes (text-image.ts).
 */
import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import type { ChainHead } from '../../../shared/proof';
import { loadPdfLib } from '../lazy/pdf-lib';
import type { PackagedFile } from './layout';
import { cjkTextPainter, type TextPainter } from './text-image';

export interface CertificateFacts {
  packageId: string;
  archiveId: string;
  archiveCreatedAt: string;
  exportedBy: string;
  exportedAt: string;
  head: ChainHead;
  fromSeq: number;
  documents: { archiveNo: string; title: string; status: string; versions: number; files: PackagedFile[] }[];
}

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56;
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

const isPrintableAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** Printable ASCII stays; everything else becomes \uXXXX (UTF-16 code units, as in JSON). */
export function printable(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    out += unit >= 0x20 && unit <= 0x7e ? text[index] : `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return out;
}

export type Style = 'title' | 'heading' | 'text' | 'mono' | 'escapes';

interface TextStyle {
  font: PDFFont;
  size: number;
  color: Color;
}

/** Lays lines out top to bottom, wrapping long ones and starting a new page when one is full. */
export class Layout {
  private page: PDFPage;
  private y = PAGE_HEIGHT - MARGIN;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Record<Style, TextStyle>,
    private readonly painter: TextPainter | null,
  ) {
    this.page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  }

  /** Breaks after the last space that fits, or inside a word longer than the line. */
  private wrap(text: string, style: Style): string[] {
    const { font, size } = this.fonts[style];
    const lines: string[] = [];
    let rest = text;
    while (font.widthOfTextAtSize(rest, size) > TEXT_WIDTH) {
      let end = 1;
      while (end < rest.length && font.widthOfTextAtSize(rest.slice(0, end + 1), size) <= TEXT_WIDTH) end += 1;
      const space = rest.lastIndexOf(' ', end);
      const cut = space > 0 ? space : end;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut).trimStart();
    }
    return [...lines, rest];
  }

  private room(height: number): void {
    if (this.y - height < MARGIN) {
      this.page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
      this.y = PAGE_HEIGHT - MARGIN;
    }
    this.y -= height;
  }

  private write(text: string, style: Style): void {
    const { font, size, color } = this.fonts[style];
    for (const part of this.wrap(text, style)) {
      this.room(size * 1.35);
      this.page.drawText(part, { x: MARGIN, y: this.y, size, font, color });
    }
  }

  async line(text: string, style: Style = 'text'): Promise<void> {
    if (isPrintableAscii(text) || this.painter === null) {
      this.write(printable(text), style);
      return;
    }
    for (const image of this.painter.paint(text, this.fonts[style].size, TEXT_WIDTH)) {
      this.room(image.height);
      this.page.drawImage(await this.pdf.embedPng(image.png), { x: MARGIN, y: this.y, width: image.width, height: image.height });
    }
    this.write(printable(text), 'escapes');
  }

  gap(): void {
    this.y -= 8;
  }
}

/** The standard fonts certificates are set in (the disposal certificate uses them too). */
export async function certificateFonts(pdf: PDFDocument): Promise<Record<Style, TextStyle>> {
  const { StandardFonts, rgb } = await loadPdfLib();
  const black = rgb(0, 0, 0);
  const courier = await pdf.embedFont(StandardFonts.Courier);
  return {
    title: { font: await pdf.embedFont(StandardFonts.HelveticaBold), size: 16, color: black },
    heading: { font: await pdf.embedFont(StandardFonts.HelveticaBold), size: 11, color: black },
    text: { font: await pdf.embedFont(StandardFonts.Helvetica), size: 9.5, color: black },
    mono: { font: courier, size: 8, color: black },
    escapes: { font: courier, size: 7, color: rgb(0.3, 0.3, 0.3) },
  };
}

export async function certificatePdf(facts: CertificateFacts, painter: TextPainter | null = cjkTextPainter()): Promise<Uint8Array> {
  const pdf = await (await loadPdfLib()).PDFDocument.create();
  const exportedAt = new Date(facts.exportedAt);
  pdf.setTitle(`SlipVault proof package ${facts.packageId}`);
  pdf.setProducer('SlipVault');
  pdf.setCreator('SlipVault');
  pdf.setCreationDate(exportedAt);
  pdf.setModificationDate(exportedAt);
  const layout = new Layout(pdf, await certificateFonts(pdf), painter);

  await layout.line('SlipVault proof package - certificate', 'title');
  await layout.line('Evidence copy: the original files, their history and audit trail, with the hashes to check them.');
  layout.gap();
  await layout.line(`Package ${facts.packageId}`, 'heading');
  await layout.line(`Exported by: ${facts.exportedBy}`);
  await layout.line(`Exported at: ${facts.exportedAt} (UTC)`);
  await layout.line(`Archive: ${facts.archiveId}, created ${facts.archiveCreatedAt}`);
  layout.gap();
  await layout.line('Audit chain', 'heading');
  await layout.line(`Events ${facts.fromSeq} to ${facts.head.seq}, ending with this export's own event (seq ${facts.head.seq}), the head:`);
  await layout.line(facts.head.hash, 'mono');
  await layout.line('Each event hashes as SHA-256(previous hash + canonical JSON of the event); see VERIFY.txt in the package.');
  for (const document of facts.documents) {
    layout.gap();
    await layout.line(`${document.archiveNo}  ${document.title}`, 'heading');
    await layout.line(`Status ${document.status}, ${document.versions} version(s). Original files (SHA-256, size, type, name as imported):`);
    for (const file of document.files) {
      await layout.line(file.sha256, 'mono');
      await layout.line(`    ${file.size} bytes, ${file.mime}, ${file.filename}`);
    }
  }
  layout.gap();
  await layout.line('How to check', 'heading');
  await layout.line('Unzip the package, run `sha256sum -c SHA256SUMS` and `python3 verify-chain.py` in its folder, or `slipvault proof verify PACKAGE`.');
  await layout.line("The head hash printed by either must equal the one above. The archive keeper can confirm the same event in the archive's audit trail.");
  await layout.line('Characters outside ASCII (e.g. Chinese) are printed as \\uXXXX escapes (JSON notation, UTF-16 code units), exact in every case.');
  return pdf.save();
}
