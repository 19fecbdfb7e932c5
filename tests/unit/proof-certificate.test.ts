/**
 * The proof certificate as a reader of the PDF sees it: its text read back with pdfjs, Chinese text exact
 * as \uXXXX escapes, and drawn with a CJK font as well when the system has one (fonts-wqy-zenhei here).
 */
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { openPdf } from '../../src/main/core/pdf/pdfjs';
import { certificatePdf, printable, type CertificateFacts } from '../../src/main/core/proof/certificate';
import { cjkTextPainter } from '../../src/main/core/proof/text-image';

function facts(documents: number): CertificateFacts {
  return {
    packageId: '1b9e5a4c-0c7e-4f5e-9d62-3f0c2a7d9e11',
    archiveId: '65d9534f-4617-47c0-8208-273dac38d5af',
    archiveCreatedAt: '2026-01-04T08:00:00.000Z',
    exportedBy: '李娜',
    exportedAt: '2026-12-07T03:27:48.860Z',
    head: { seq: 5120, hash: '00a05aca0aebe14753bef0003031a85ea43934142ee58d24636b21a452cf98b2' },
    fromSeq: 17,
    documents: Array.from({ length: documents }, (_, index) => ({
      archiveNo: `SV-2026-${String(index + 1).padStart(6, '0')}`,
      title: `送货单-${index + 1}`,
      status: 'filed',
      versions: 3,
      files: [
        {
          sha256: `${index}`.padStart(64, 'f'),
          member: 'files/x.jpg',
          filename: '华南贸易.jpg',
          mime: 'image/jpeg',
          size: 48213,
          pageCount: 1,
          importedAt: '2026-03-05T10:00:00.000Z',
        },
      ],
    })),
  };
}

async function textOf(pdf: Uint8Array): Promise<string> {
  const document = await openPdf(pdf);
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join(''));
  }
  // pdfjs reads runs of spaces as one.
  return pages.join('\n');
}

const imagesIn = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1').split('/Subtype /Image').length - 1;

describe('proof certificate', () => {
  it('escapes every character outside printable ASCII as JSON does', () => {
    expect(printable('SV-2026-000001 送货单 "ok"\n𠀀')).toBe('SV-2026-000001 \\u9001\\u8d27\\u5355 "ok"\\u000a\\ud840\\udc00');
    expect(JSON.parse(`"${printable('李娜 / 华南贸易')}"`)).toBe('李娜 / 华南贸易');
  });

  it('states who, when, which archive, the head and every original, exactly, without a CJK font', async () => {
    const pdf = await certificatePdf(facts(2), null);
    const text = await textOf(pdf);
    expect(text).toContain('Exported by: \\u674e\\u5a1c');
    expect(text).toContain('Exported at: 2026-12-07T03:27:48.860Z (UTC)');
    expect(text).toContain('Archive: 65d9534f-4617-47c0-8208-273dac38d5af, created 2026-01-04T08:00:00.000Z');
    expect(text).toContain('Package 1b9e5a4c-0c7e-4f5e-9d62-3f0c2a7d9e11');
    expect(text).toContain('Events 17 to 5120');
    expect(text).toContain('00a05aca0aebe14753bef0003031a85ea43934142ee58d24636b21a452cf98b2');
    expect(text).toContain('SV-2026-000002 \\u9001\\u8d27\\u5355-2');
    expect(text).toContain(`${'1'.padStart(64, 'f')}`);
    expect(text).toContain('48213 bytes, image/jpeg, \\u534e\\u5357\\u8d38\\u6613.jpg');
    expect(imagesIn(pdf)).toBe(0);
  });

  it('also draws Chinese text with the system CJK font, and runs onto more pages as needed', async () => {
    const painter = cjkTextPainter();
    expect(painter?.family).toBe('WenQuanYi Zen Hei');
    const pdf = await certificatePdf(facts(12), painter);
    // The exporter, then per document its heading and its file line: one picture each (an image and its
    // alpha mask in the PDF), beside the escapes.
    expect(imagesIn(pdf)).toBe(2 * (1 + 12 * 2));
    const text = await textOf(pdf);
    expect(text).toContain('Exported by: \\u674e\\u5a1c');
    expect(text).toContain('SV-2026-000012 \\u9001\\u8d27\\u5355-12');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThan(1);
  });
});
