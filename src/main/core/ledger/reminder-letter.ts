/**
 * The reminder letter to a customer: which of their slips are still out, since when and for how much,
 * as an A4 PDF to print or send. Chinese is drawn as images with a system CJK font (proof/text-image.ts),
 * since pdf-lib's standard fonts have no Chinese; without such a font a letter with Chinese is refused.
 */
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { SlipVaultError } from '../../../shared/errors';
import type { LedgerRow } from '../../../shared/model';
import { loadPdfLib } from '../lazy/pdf-lib';
import { cjkTextPainter, type TextPainter } from '../proof/text-image';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
/** WinAnsi, what Helvetica can draw; anything else goes through the painter. */
const WIN_ANSI = /^[\x20-\x7e\u00a0-\u00ff]*$/;

export interface ReminderLetterFacts {
  customer: string;
  asOf: string;
  rows: LedgerRow[];
  /** Who prints it (named at the foot). */
  from: string;
}

class LetterLayout {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
    private readonly painter: TextPainter | null,
  ) {
    this.page = pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  private room(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Draws `text` at x on the current line; returns the height it took. */
  private async cell(text: string, x: number, size: number, maxWidth: number, bold = false): Promise<number> {
    if (WIN_ANSI.test(text)) {
      this.page.drawText(text, { x, y: this.y - size, size, font: bold ? this.bold : this.font, maxWidth, lineHeight: size * 1.3 });
      return size * 1.3;
    }
    if (!this.painter) {
      throw new SlipVaultError(
        'UNSUPPORTED_FILE',
        'No Chinese font is installed, so the reminder letter cannot be printed (install e.g. fonts-noto-cjk).',
      ).withMessage('ledger.noChineseFont');
    }
    let height = 0;
    for (const image of this.painter.paint(text, size, maxWidth)) {
      const png = await this.pdf.embedPng(image.png);
      this.page.drawImage(png, { x, y: this.y - height - image.height, width: image.width, height: image.height });
      height += image.height;
    }
    return height;
  }

  async line(text: string, size = 10.5, bold = false): Promise<void> {
    this.room(size * 2);
    this.y -= await this.cell(text, MARGIN, size, A4[0] - 2 * MARGIN, bold);
  }

  async row(cells: { text: string; x: number; width: number }[], size = 9, bold = false): Promise<void> {
    this.room(size * 2);
    let height = 0;
    for (const cell of cells) height = Math.max(height, await this.cell(cell.text, MARGIN + cell.x, size, cell.width, bold));
    this.y -= height + 2;
  }

  gap(points = 10): void {
    this.y -= points;
  }
}

const COLUMNS = [
  { title: '单号 Slip no.', x: 0, width: 110 },
  { title: '发货日期 Issued', x: 115, width: 70 },
  { title: '应回日期 Due back', x: 190, width: 75 },
  { title: '逾期天数 Days over', x: 270, width: 60 },
  { title: '金额 Amount', x: 335, width: 80 },
  { title: '发票号 Invoice', x: 420, width: 63 },
];

export async function reminderLetterPdf(facts: ReminderLetterFacts, painter: TextPainter | null = cjkTextPainter()): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await loadPdfLib();
  const pdf = await PDFDocument.create();
  const printedAt = new Date(`${facts.asOf}T00:00:00Z`);
  pdf.setTitle(`签回单催收函 ${facts.customer} ${facts.asOf}`);
  pdf.setProducer('SlipVault');
  pdf.setCreationDate(printedAt);
  pdf.setModificationDate(printedAt);
  const layout = new LetterLayout(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold), painter);
  await layout.line('签回单催收函 / Reminder: signed slips to return', 16, true);
  layout.gap();
  await layout.line(`致 To: ${facts.customer}`, 11);
  await layout.line(`日期 Date: ${facts.asOf}`, 11);
  layout.gap();
  await layout.line(`贵司以下 ${facts.rows.length} 张送货单尚未签回。请核对、签字盖章后尽快寄回，谢谢。`);
  await layout.line(`The following ${facts.rows.length} delivery slip(s) have not come back signed. Please check, sign and stamp them and send them back.`);
  layout.gap();
  await layout.row(
    COLUMNS.map((column) => ({ text: column.title, x: column.x, width: column.width })),
    8.5,
    true,
  );
  const totals = new Map<string, number>();
  for (const row of facts.rows) {
    if (row.amount !== null) totals.set(row.currency ?? 'CNY', (totals.get(row.currency ?? 'CNY') ?? 0) + Math.round(Number(row.amount) * 100));
    const cells = [
      row.slipNo,
      row.issueDate,
      row.expectedBackDate,
      row.daysOverdue !== null && row.daysOverdue > 0 ? String(row.daysOverdue) : '-',
      row.amount === null ? '' : `${row.amount} ${row.currency ?? ''}`.trim(),
      row.invoiceNo ?? '',
    ];
    await layout.row(cells.map((text, index) => ({ text, x: COLUMNS[index]!.x, width: COLUMNS[index]!.width })));
  }
  layout.gap();
  for (const [currency, minor] of [...totals.entries()].sort()) {
    await layout.line(`合计 Total ${currency}: ${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`, 10.5, true);
  }
  layout.gap(20);
  await layout.line(`经办 Prepared by: ${facts.from}`);
  return pdf.save({ useObjectStreams: false });
}
