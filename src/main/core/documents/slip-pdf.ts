/**
 * A slip as one PDF to save or print: a cover page with its metadata, then its current pages in order and
 * turned as the clerk turned them. PDF pages are copied as they are (text stays text); image pages (JPEG,
 * PNG, TIFF frames, WebP) go in as upright JPEGs fitted to an A4 sheet. Labels are bilingual; text PDF's
 * standard fonts cannot show (Chinese) is drawn as a picture with a system CJK font (proof/text-image.ts),
 * and where the system has none it is written as \uXXXX escapes, as the proof certificate does.
 */
import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import type { DocumentDetail, DocumentStatus, DocumentTypeRecord, SlipPdf } from '../../../shared/model';
import { pageImage } from '../ingest/page-image';
import { loadPdfLib } from '../lazy/pdf-lib';
import { printable } from '../proof/certificate';
import { cjkTextPainter, type TextPainter } from '../proof/text-image';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const LABEL_WIDTH = 150;
/** Longest side of an image page in pixels: about 300 dpi on A4. */
const IMAGE_SIDE = 3508;

const STATUS_WORDS: Record<DocumentStatus, string> = { inbox: '待归档 Inbox', filed: '已归档 Filed', voided: '已作废 Voided' };

export interface SlipPdfFacts {
  detail: DocumentDetail;
  types: DocumentTypeRecord[];
  /** The original bytes of a stored blob. */
  readBlob: (hash: string) => Buffer;
  exportedBy: string;
  exportedAt: string;
}

const isPrintableAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** Writes lines top to bottom on the cover: Latin in Helvetica, anything else as a picture or escapes. */
class Cover {
  private y = A4[1] - MARGIN;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly page: PDFPage,
    private readonly fonts: { regular: PDFFont; bold: PDFFont },
    private readonly ink: Color,
    private readonly painter: TextPainter | null,
  ) {}

  private async text(text: string, x: number, width: number, size: number, bold = false): Promise<number> {
    if (isPrintableAscii(text) || this.painter === null) {
      const font = bold ? this.fonts.bold : this.fonts.regular;
      const lines = wrapLatin(isPrintableAscii(text) ? text : printable(text), font, size, width);
      lines.forEach((line, index) => this.page.drawText(line, { x, y: this.y - size - index * size * 1.35, size, font, color: this.ink }));
      return lines.length * size * 1.35;
    }
    let used = 0;
    for (const line of this.painter.paint(text, size, width)) {
      const image = await this.pdf.embedPng(line.png);
      this.page.drawImage(image, { x, y: this.y - used - line.height, width: line.width, height: line.height });
      used += line.height;
    }
    return used;
  }

  async title(text: string): Promise<void> {
    this.y -= (await this.text(text, MARGIN, A4[0] - 2 * MARGIN, 18, true)) + 16;
  }

  async row(label: string, value: string): Promise<void> {
    const labelHeight = await this.text(label, MARGIN, LABEL_WIDTH - 8, 10, true);
    const valueHeight = await this.text(value === '' ? '-' : value, MARGIN + LABEL_WIDTH, A4[0] - 2 * MARGIN - LABEL_WIDTH, 11);
    this.y -= Math.max(labelHeight, valueHeight) + 6;
  }
}

function wrapLatin(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  return [...lines, line];
}

function typeLabel(code: string | null, types: DocumentTypeRecord[]): string {
  if (code === null) return '';
  const type = types.find((candidate) => candidate.code === code);
  return type ? `${type.nameZh} ${type.nameEn}` : code;
}

async function writeCover(pdf: PDFDocument, facts: SlipPdfFacts): Promise<void> {
  const { detail, types } = facts;
  const { metadata } = detail;
  const { StandardFonts, rgb } = await loadPdfLib();
  const cover = new Cover(
    pdf,
    pdf.addPage(A4),
    { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) },
    rgb(0, 0, 0),
    cjkTextPainter(),
  );
  await cover.title(`${detail.archiveNo} ${metadata.title}`);
  const rows: [string, string][] = [
    ['档案号 Archive no.', detail.archiveNo],
    ['标题 Title', metadata.title],
    ['客户 Customer', metadata.customer ?? ''],
    ['类型 Type', typeLabel(metadata.type, types)],
    ['签收日期 Signed date', metadata.signedDate ?? ''],
    ['单号 Slip no.', metadata.slipNo ?? ''],
    ['金额 Amount', metadata.amount === null ? '' : `${metadata.amount} ${metadata.currency ?? ''}`.trim()],
    ['签收人 Signer', metadata.signer ?? ''],
    ['状态 Status', STATUS_WORDS[detail.status] + (detail.voidReason ? ` (${detail.voidReason})` : '')],
    ['标签 Tags', metadata.tags.join(', ')],
    ['备注 Notes', metadata.notes],
    ['版本 Version', String(detail.currentVersion)],
    ['页数 Pages', String(detail.pages.length)],
    ['导出人 Exported by', facts.exportedBy],
    ['导出时间 Exported at', facts.exportedAt],
  ];
  for (const [label, value] of rows) await cover.row(label, value);
}

/** An upright page picture on an A4 sheet turned the way the picture is, fitted inside it. */
async function addImagePage(pdf: PDFDocument, bytes: Buffer, mime: string, sourcePage: number, rotation: number): Promise<void> {
  const jpeg = await (await pageImage(bytes, mime, sourcePage, IMAGE_SIDE)).flatten({ background: '#ffffff' }).jpeg({ quality: 88 }).toBuffer();
  const image = await pdf.embedJpg(jpeg);
  const landscape = image.width > image.height;
  const [width, height] = landscape ? [A4[1], A4[0]] : A4;
  const scale = Math.min(width / image.width, height / image.height);
  const page = pdf.addPage([width, height]);
  page.drawImage(image, {
    x: (width - image.width * scale) / 2,
    y: (height - image.height * scale) / 2,
    width: image.width * scale,
    height: image.height * scale,
  });
  page.setRotation((await loadPdfLib()).degrees(rotation));
}

export async function buildSlipPdf(facts: SlipPdfFacts): Promise<SlipPdf> {
  const { detail } = facts;
  const { PDFDocument, degrees } = await loadPdfLib();
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${detail.archiveNo} ${detail.metadata.title}`);
  pdf.setProducer('SlipVault');
  pdf.setCreationDate(new Date(facts.exportedAt));
  await writeCover(pdf, facts);
  const mimes = new Map(detail.files.map((file) => [file.blobHash, file.mime]));
  const sources = new Map<string, PDFDocument>();
  for (const page of detail.pages) {
    const mime = mimes.get(page.blobHash) ?? 'application/octet-stream';
    const bytes = facts.readBlob(page.blobHash);
    if (mime === 'application/pdf') {
      let source = sources.get(page.blobHash);
      if (!source) {
        source = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
        sources.set(page.blobHash, source);
      }
      const [copied] = await pdf.copyPages(source, [page.sourcePage]);
      copied!.setRotation(degrees((copied!.getRotation().angle + page.rotation) % 360));
      pdf.addPage(copied!);
    } else {
      await addImagePage(pdf, bytes, mime, page.sourcePage, page.rotation);
    }
  }
  const bytes = await pdf.save();
  return { archiveNo: detail.archiveNo, filename: `${detail.archiveNo}.pdf`, pageCount: pdf.getPageCount(), pdfBase64: Buffer.from(bytes).toString('base64') };
}
