/** `slipvault config get|set`, `config types` and `review` as real processes on a real archive. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DocumentTypeRecord, InboxItem } from '../../src/shared/model';
import type { ArchiveSettings, ReviewPage } from '../../src/shared/settings';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { pdfBytes, tempDir } from '../helpers/fixtures';

describe('slipvault config', () => {
  it('gets and sets settings, edits document types, and refuses bad values with exit 2', () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    slipvaultJson(['--archive', archive, 'init']);
    const at = (...args: string[]) => ['--archive', archive, ...args];

    expect(slipvaultJson<string[]>(at('config', 'get', 'ocrLanguages'))).toEqual(['chi_sim', 'eng']);
    expect(slipvault(at('config', 'get')).stdout).toMatch(/reviewConfidenceThreshold\s+70\n[\s\S]*scannerDefaults\.source\s+Flatbed/);

    expect(slipvaultJson<ArchiveSettings>(at('config', 'set', 'ocrLanguages', 'eng')).ocrLanguages).toEqual(['eng']);
    expect(slipvaultJson<ArchiveSettings>(at('config', 'set', 'slipNumberPatterns', 'DN-\\d{6}', 'SO-\\d{4}-\\d{4}')).slipNumberPatterns).toEqual([
      'DN-\\d{6}',
      'SO-\\d{4}-\\d{4}',
    ]);
    expect(slipvaultJson<ArchiveSettings>(at('config', 'set', 'scannerDefaults.duplex', 'on')).scannerDefaults).toEqual({
      device: null,
      source: 'Flatbed',
      duplex: true,
      resolution: 300,
    });
    slipvaultJson(at('config', 'set', 'scannerDefaults.resolution', '600'));
    expect(slipvaultJson<ArchiveSettings['scannerDefaults']>(at('config', 'get', 'scannerDefaults'))).toMatchObject({ duplex: true, resolution: 600 });
    expect(slipvaultJson<ArchiveSettings>(at('config', 'set', 'hotFolderPath', join(dir, 'scans')))).toMatchObject({ hotFolderPath: join(dir, 'scans') });

    const badPattern = slipvault(at('config', 'set', 'slipNumberPatterns', '(\\d)\\1'));
    expect(badPattern.status).toBe(2);
    expect(badPattern.stderr).toMatch(/Slip-number pattern 1: .* uses a backreference/);
    const badLanguage = slipvault(at('config', 'set', 'ocrLanguages', 'klingon'));
    expect(badLanguage.status).toBe(2);
    expect(badLanguage.stderr).toMatch(/OCR language klingon is not installed/);
    expect(slipvault(at('config', 'set', 'reviewConfidenceThreshold', 'high')).status).toBe(2);
    expect(slipvault(at('config', 'set', 'colour', 'blue')).stderr).toMatch(/Unknown setting "colour"/);
    expect(slipvaultJson<string[]>(at('config', 'get', 'slipNumberPatterns'))).toEqual(['DN-\\d{6}', 'SO-\\d{4}-\\d{4}']);

    const saved = slipvaultJson<DocumentTypeRecord>(
      at('config', 'types', 'save', 'waybill', '--zh', '运单', '--en', 'Waybill', '--keywords', 'waybill', '运单'),
    );
    expect(saved).toEqual({ code: 'waybill', nameZh: '运单', nameEn: 'Waybill', keywords: ['waybill', '运单'], requiredFields: [] });
    expect(slipvault(at('config', 'types')).stdout).toMatch(/waybill\s+运单 \/ Waybill\n\s+keywords: waybill, 运单/);

    // The settings are in effect: a text-layer PDF gets the custom pattern and type as suggestions.
    const pdf = join(dir, 'waybill.pdf');
    writeFileSync(pdf, pdfBytes(1, 'Waybill DN-246810'));
    slipvaultJson(at('import', pdf));
    slipvaultJson(at('process', '--workers', '1'));
    const [item] = slipvaultJson<InboxItem[]>(at('inbox'));
    expect(item!.suggestions.find((s) => s.field === 'slipNo')?.value).toBe('DN-246810');
    expect(item!.suggestions.find((s) => s.field === 'type')?.value).toBe('waybill');
    // Text-layer pages are never up for review.
    expect(slipvaultJson<ReviewPage[]>(at('review'))).toEqual([]);
    expect(slipvault(at('review')).stdout).toBe('No page needs review.\n');
  });
});
