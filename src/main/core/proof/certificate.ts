/**
 * The printable certificate of a proof package: who exported which documents of which archive and when,
 * the SHA-256 of every original and the audit chain's head. It uses PDF's standard fonts, which cover
 * only Latin text, so any other character (Chinese titles, customer or user names) is printed as its
 * \uXXXX escape, the notation JSON uses: the certificate then stays exact for Chinese data, and
 * JSON.parse('"…"') turns a line back into the text. Embedding a CJK font would need @pdf-lib/fontkit.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ChainHead, PackagedFile } from './layout';

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

/** Printable ASCII stays; everything else becomes \uXXXX (UTF-16 code units, as in JSON). */
export function printable(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    out += unit >= 0x20 && unit <= 0x7e ? text[index] : `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return out;
}

type Style = 'title' | 'heading' | 'text' | 'mono';

/** Lays lines out top to bottom, wrapping long ones and starting a new page when one is full. */
class Layout {
  private page: PDFPage;
  private y = PAGE_HEIGHT - MARGIN;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Record<Style, { font: PDFFont; size: number }>,
  ) {
    this.page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  }

  private wrap(text: string, style: Style): string[] {
    const { font, size } = this.fonts[style];
    const width = PAGE_WIDTH - 2 * MARGIN;
    const lines: string[] = [];
    let line = '';
    for (const char of text) {
      if (line !== '' && font.widthOfTextAtSize(line + char, size) > width) {
        lines.push(line);
        line = '';
      }
      line += char;
    }
    return [...lines, line];
  }

  line(text: string, style: Style = 'text'): void {
    const { font, size } = this.fonts[style];
    for (const part of this.wrap(printable(text), style)) {
      if (this.y - size < MARGIN) {
        this.page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
        this.y = PAGE_HEIGHT - MARGIN;
      }
      this.y -= size * 1.35;
      this.page.drawText(part, { x: MARGIN, y: this.y, size, font });
    }
  }

  gap(): void {
    this.y -= 8;
  }
}

export async function certificatePdf(facts: CertificateFacts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const exportedAt = new Date(facts.exportedAt);
  pdf.setTitle(`SlipVault proof package ${facts.packageId}`);
  pdf.setProducer('SlipVault');
  pdf.setCreator('SlipVault');
  pdf.setCreationDate(exportedAt);
  pdf.setModificationDate(exportedAt);
  const layout = new Layout(pdf, {
    title: { font: await pdf.embedFont(StandardFonts.HelveticaBold), size: 16 },
    heading: { font: await pdf.embedFont(StandardFonts.HelveticaBold), size: 11 },
    text: { font: await pdf.embedFont(StandardFonts.Helvetica), size: 9.5 },
    mono: { font: await pdf.embedFont(StandardFonts.Courier), size: 8 },
  });

  layout.line('SlipVault proof package - certificate', 'title');
  layout.line('Evidence copy: the original files, their history and audit trail, with the hashes to check them.');
  layout.gap();
  layout.line(`Package ${facts.packageId}`, 'heading');
  layout.line(`Exported by: ${facts.exportedBy}`);
  layout.line(`Exported at: ${facts.exportedAt} (UTC)`);
  layout.line(`Archive: ${facts.archiveId}, created ${facts.archiveCreatedAt}`);
  layout.gap();
  layout.line('Audit chain', 'heading');
  layout.line(`Events ${facts.fromSeq} to ${facts.head.seq}, ending with this export's own event (seq ${facts.head.seq}), the head:`);
  layout.line(facts.head.hash, 'mono');
  layout.line('Each event hashes as SHA-256(previous hash + canonical JSON of the event); see VERIFY.txt in the package.');
  for (const document of facts.documents) {
    layout.gap();
    layout.line(`${document.archiveNo}  ${document.title}`, 'heading');
    layout.line(`Status ${document.status}, ${document.versions} version(s). Original files (SHA-256, size, type, name as imported):`);
    for (const file of document.files) {
      layout.line(file.sha256, 'mono');
      layout.line(`    ${file.size} bytes, ${file.mime}, ${file.filename}`);
    }
  }
  layout.gap();
  layout.line('How to check', 'heading');
  layout.line('Unzip the package, run `sha256sum -c SHA256SUMS` and `python3 verify-chain.py` in its folder, or `slipvault proof verify PACKAGE`.');
  layout.line('The head hash printed by either must equal the one above. The archive keeper can confirm the same event in the archive\'s audit trail.');
  layout.line('Characters outside ASCII (e.g. Chinese) are printed as \\uXXXX escapes (JSON notation, UTF-16 code units).');
  return pdf.save();
}
