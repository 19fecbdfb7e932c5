/**
 * Archive settings and document types on a real archive: defaults, validation (nothing stored on a bad
 * value), audit with old and new values, persistence across reopen, and that extraction, the OCR pool
 * and the review list follow them. Text-layer PDFs give text without the OCR engine; one real image is
 * OCR'd with English only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sharedAdminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { DEFAULT_SLIP_PATTERNS } from '../../src/main/core/extract/slip-numbers';
import type { CallResult, Method, OutputOf } from '../../src/shared/contract';
import { DEFAULT_BACKUP_SCHEDULE } from '../../src/shared/backup-schedule';
import { slipPatternProblem } from '../../src/shared/settings';
import { pdfBytes, tempDir } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  async function call<M extends Method>(archive: Archive, method: M, input: unknown): Promise<OutputOf<M>> {
    const result = (await (await sharedAdminClient(archive, 'admin')).invoke(method, input)) as CallResult<M>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code, details: result.error.details });
    return result.value;
  }

  async function importPdf(archive: Archive, dir: string, name: string, text: string): Promise<string> {
    const path = join(dir, name);
    writeFileSync(path, pdfBytes(1, text));
    const result = await call(archive, 'documents:import', { paths: [path] });
    return result.imported[0]!.document.archiveNo;
  }

  async function suggested(archive: Archive, archiveNo: string, field: string): Promise<string[]> {
    const item = (await call(archive, 'inbox:list', {})).find((entry) => entry.document.archiveNo === archiveNo)!;
    return item.suggestions.filter((suggestion) => suggestion.field === field).map((suggestion) => suggestion.value);
  }

  describe('slip-number pattern safety', () => {
    it('accepts the built-in and ordinary patterns', () => {
      for (const pattern of [...DEFAULT_SLIP_PATTERNS, 'DN-\\d{6}', '(?:SO|DN)-\\d{4}-\\d{2,6}', '[A-Z]{2}\\d+(?:-\\d{2})?', '单号\\d{8}']) {
        expect(slipPatternProblem(pattern), pattern).toBeNull();
      }
    });

    it('names what is wrong with a bad one', () => {
      expect(slipPatternProblem('DN-(\\d{6}')).toMatchObject({ kind: 'syntax' });
      expect(slipPatternProblem('(\\w)\\1')).toEqual({ kind: 'backreference' });
      expect(slipPatternProblem('(?<n>\\w)\\k<n>')).toEqual({ kind: 'backreference' });
      expect(slipPatternProblem('DN-(?=\\d)')).toEqual({ kind: 'lookaround' });
      expect(slipPatternProblem('(?<!X)DN-\\d+')).toEqual({ kind: 'lookaround' });
      expect(slipPatternProblem('\\d*')).toEqual({ kind: 'matches-empty' });
      expect(slipPatternProblem('X'.repeat(201))).toEqual({ kind: 'too-long' });
      // JavaScript-only syntax that RE2 spells differently (\x{4e00}) is a syntax problem, with RE2's reason.
      expect(slipPatternProblem('\\u4e00')).toEqual({ kind: 'syntax', detail: 'invalid escape sequence: `\\u`' });
    });

    it('accepts the shapes that only hang a backtracking engine: RE2 matches them in linear time', () => {
      for (const pattern of ['(a+)+$', '(?:\\d*-?)*X', '((ab)+c){2,}', '(\\d|\\d)*X']) {
        expect(slipPatternProblem(pattern), pattern).toBeNull();
      }
    });
  });

  describe('archive settings', () => {
    it('start from the defaults, change with an audit event of old and new values, and persist', async () => {
      const dir = join(tempDir(), 'a');
      let archive = await backEnd.init(dir, { actor: 'admin' });
      try {
        const view = await call(archive, 'settings:get', {});
        expect(view.settings).toEqual({
          ocrLanguages: ['chi_sim', 'eng'],
          slipNumberPatterns: DEFAULT_SLIP_PATTERNS,
          reviewConfidenceThreshold: 70,
          hotFolderPath: null,
          scannerDefaults: { device: null, source: 'Flatbed', duplex: false, resolution: 300 },
          idleLockMinutes: 10,
          backupSchedule: DEFAULT_BACKUP_SCHEDULE,
          ocrEngine: 'auto',
          ocrModel: 'accurate',
        });
        expect(view.defaults).toEqual(view.settings);
        expect(view.installedLanguages).toEqual(expect.arrayContaining(['chi_sim', 'eng']));
        expect(view.installedLanguages).not.toContain('osd');

        const updated = await call(archive, 'settings:update', {
          changes: {
            ocrLanguages: ['eng'],
            reviewConfidenceThreshold: 55,
            hotFolderPath: '/srv/scans',
            scannerDefaults: { device: 'test:0', source: 'ADF', duplex: true, resolution: 600 },
            ocrEngine: 'tesseract',
          },
        });
        expect(updated).toMatchObject({ ocrLanguages: ['eng'], reviewConfidenceThreshold: 55, hotFolderPath: '/srv/scans', ocrEngine: 'tesseract' });
        expect(archive.ocrPool()).toMatchObject({ languages: ['eng'], engine: 'tesseract' });
        const event = archive.audit.list(0, 100).find((entry) => entry.action === 'settings.update')!;
        expect(event.actor).toBe('admin');
        expect(event.details).toEqual({
          old: {
            ocrLanguages: ['chi_sim', 'eng'],
            reviewConfidenceThreshold: 70,
            hotFolderPath: null,
            scannerDefaults: { device: null, source: 'Flatbed', duplex: false, resolution: 300 },
            ocrEngine: 'auto',
          },
          new: {
            ocrLanguages: ['eng'],
            reviewConfidenceThreshold: 55,
            hotFolderPath: '/srv/scans',
            scannerDefaults: { device: 'test:0', source: 'ADF', duplex: true, resolution: 600 },
            ocrEngine: 'tesseract',
          },
        });
        // Setting the same values again changes and records nothing.
        const head = archive.audit.head();
        await call(archive, 'settings:update', { changes: { reviewConfidenceThreshold: 55 } });
        expect(archive.audit.head()).toEqual(head);
        await call(archive, 'settings:update', { changes: { hotFolderPath: null } });

        archive.close();
        archive = await backEnd.open(dir);
        expect((await call(archive, 'settings:get', {})).settings).toMatchObject({
          ocrLanguages: ['eng'],
          reviewConfidenceThreshold: 55,
          hotFolderPath: null,
          scannerDefaults: { source: 'ADF', duplex: true, resolution: 600 },
          ocrEngine: 'tesseract',
        });
        expect((await call(archive, 'archive:check', {})).ok).toBe(true);
      } finally {
        archive.close();
      }
    });

    it('refuses bad values with a specific message and stores nothing', async () => {
      const archive = await backEnd.init(join(tempDir(), 'a'), { actor: 'admin' });
      try {
        const before = (await call(archive, 'settings:get', {})).settings;
        const head = archive.audit.head();
        const refused = async (changes: unknown) => {
          const error = (await call(archive, 'settings:update', { changes }).then(
            () => undefined,
            (caught: unknown) => caught,
          )) as { code: string; message: string; details?: Record<string, unknown> } | undefined;
          expect(error?.code, JSON.stringify(changes)).toBe('VALIDATION');
          return error!;
        };
        expect((await refused({ ocrLanguages: ['fra'] })).message).toMatch(/OCR language fra is not installed; installed: .*chi_sim.*eng/);
        expect((await refused({ ocrLanguages: [] })).message).toMatch(/at least one OCR language/);
        expect((await refused({ ocrLanguages: ['eng', 'eng'] })).message).toMatch(/each OCR language only once/);
        const backreference = await refused({ slipNumberPatterns: ['DN-\\d{6}', '(\\d)\\1'] });
        expect(backreference.message).toMatch(/Slip-number pattern 2: "\(\\d\)\\1" uses a backreference/);
        expect(backreference.details).toMatchObject({ index: 1, problem: 'backreference' });
        expect((await refused({ slipNumberPatterns: ['DN-(\\d{6}'] })).message).toMatch(
          /Slip-number pattern 1: "DN-\(\\d\{6\}" is not a valid regular expression in RE2 syntax \(missing closing \)/,
        );
        expect((await refused({ reviewConfidenceThreshold: 101 })).message).toMatch(/0–100/);
        expect((await refused({ scannerDefaults: { device: null, source: 'Tray', duplex: false, resolution: 300 } })).message).toMatch(/ADF or Flatbed/);
        expect((await refused({ scannerDefaults: { device: null, source: 'ADF', duplex: false, resolution: 301 } })).message).toMatch(/resolution is one of/);
        expect((await refused({ ocrEngine: 'cuneiform' })).message).toMatch(/OCR engine is one of auto, tesseract, paddle/);
        expect((await refused({})).message).toMatch(/at least one setting/);
        expect((await refused({ ocrModel: 'turbo' })).message).toMatch(/the OCR model is accurate or fast/);
        expect((await call(archive, 'settings:get', {})).settings).toEqual(before);
        expect(archive.audit.head().seq).toBe(head.seq); // refusals and settings reads write nothing
      } finally {
        archive.close();
      }
    });

    it('custom slip patterns and type keywords drive the suggestions, also of documents already in the inbox', async () => {
      const dir = tempDir();
      const archive = await backEnd.init(join(dir, 'a'), { actor: 'admin' });
      try {
        const archiveNo = await importPdf(archive, dir, 'waybill.pdf', 'WAYBILL DN-123456 received');
        await call(archive, 'ocr:process', {});
        expect(await suggested(archive, archiveNo, 'slipNo')).not.toContain('DN-123456');
        expect(await suggested(archive, archiveNo, 'type')).not.toContain('waybill');

        await call(archive, 'settings:update', { changes: { slipNumberPatterns: [...DEFAULT_SLIP_PATTERNS, 'DN-\\d{6}'] } });
        expect(await suggested(archive, archiveNo, 'slipNo')).toEqual(['DN-123456']);

        const saved = await call(archive, 'documentTypes:save', {
          code: 'waybill',
          nameZh: '运单',
          nameEn: 'Waybill',
          keywords: ['waybill', ' Way bill ', '运单'],
        });
        expect(saved.keywords).toEqual(['waybill', '运单']);
        expect((await suggested(archive, archiveNo, 'type'))[0]).toBe('waybill');
        const created = archive.audit.list(0, 100).find((entry) => entry.action === 'document-type.create')!;
        expect(created).toMatchObject({ targetId: 'waybill', details: { old: null, new: saved } });

        // A document filed with a type keeps it when the type's keywords change.
        const filed = await call(archive, 'inbox:file', { ref: archiveNo });
        expect(filed.type).toBe('waybill');
        await call(archive, 'documentTypes:save', { code: 'waybill', nameZh: '运单', nameEn: 'Waybill', keywords: ['consignment'] });
        expect((await call(archive, 'documents:get', { ref: archiveNo })).type).toBe('waybill');
        expect(archive.audit.list(0, 200).find((entry) => entry.action === 'document-type.update')?.details).toMatchObject({
          old: { keywords: ['waybill', '运单'] },
          new: { keywords: ['consignment'] },
        });

        // A later document uses the new keywords and the custom pattern from the start.
        const later = await importPdf(archive, dir, 'later.pdf', 'Consignment DN-654321');
        await call(archive, 'ocr:process', {});
        expect(await suggested(archive, later, 'slipNo')).toEqual(['DN-654321']);
        expect((await suggested(archive, later, 'type'))[0]).toBe('waybill');

        await expect(call(archive, 'documentTypes:save', { code: 'other2', nameZh: '运单', nameEn: 'Other two', keywords: [] })).rejects.toMatchObject({
          code: 'CONFLICT',
          message: expect.stringMatching(/waybill is already called 运单/),
        });
        await expect(call(archive, 'documentTypes:save', { code: 'Bad Code', nameZh: 'x', nameEn: 'x', keywords: [] })).rejects.toMatchObject({
          code: 'VALIDATION',
        });
        expect((await call(archive, 'documentTypes:list', {})).map((type) => type.code)).toContain('waybill');
        expect((await call(archive, 'archive:check', {})).ok).toBe(true);
      } finally {
        archive.close();
      }
    });

    it('OCR reads with the archive languages only, and the review list follows the threshold', async () => {
      const dir = tempDir();
      const archive = await backEnd.init(join(dir, 'a'), { actor: 'admin', ocrWorkers: 1 });
      try {
        await call(archive, 'settings:update', { changes: { ocrLanguages: ['eng'] } });
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="160"><rect width="100%" height="100%" fill="white"/>
          <text x="24" y="90" font-size="40" font-family="DejaVu Sans, sans-serif">DELIVERY NOTE 2026</text></svg>`;
        const image = join(dir, 'slip.png');
        writeFileSync(image, await sharp(Buffer.from(svg)).png().toBuffer());
        const archiveNo = (await call(archive, 'documents:import', { paths: [image] })).imported[0]!.document.archiveNo;
        expect(await call(archive, 'ocr:process', {})).toMatchObject({ done: 1, failed: 0 });
        expect(archive.ocrPool().languages).toEqual(['eng']);
        const detail = await call(archive, 'documents:get', { ref: archiveNo });
        expect(detail.pages[0]!.text).toMatch(/DELIVERY NOTE/);
        const confidence = (await call(archive, 'ocr:page', { ref: archiveNo, pageId: detail.pages[0]!.pageId })).confidence!;
        expect(confidence).toBeGreaterThan(0);
        expect(confidence).toBeLessThan(100);

        await call(archive, 'settings:update', { changes: { reviewConfidenceThreshold: 0 } });
        expect(await call(archive, 'ocr:review', {})).toEqual([]);
        expect((await call(archive, 'inbox:list', {}))[0]!.needsReview).toBe(false);

        await call(archive, 'settings:update', { changes: { reviewConfidenceThreshold: 100 } });
        expect(await call(archive, 'ocr:review', {})).toEqual([
          {
            documentId: detail.id,
            archiveNo,
            title: detail.title,
            pageId: detail.pages[0]!.pageId,
            position: 1,
            reason: 'low-confidence',
            confidence,
            error: null,
          },
        ]);
        expect((await call(archive, 'inbox:list', {}))[0]!.needsReview).toBe(true);

        // Filing is the review: the page leaves the list.
        await call(archive, 'inbox:file', { ref: archiveNo, acceptSuggestions: false, changes: { type: 'other' } });
        expect(await call(archive, 'ocr:review', {})).toEqual([]);

        // A language change takes effect for the next OCR run.
        await call(archive, 'settings:update', { changes: { ocrLanguages: ['chi_sim', 'eng'] } });
        expect(archive.ocrPool().languages).toEqual(['chi_sim', 'eng']);
        // So does a model change.
        expect(archive.ocrPool().model).toBe('accurate');
        await call(archive, 'settings:update', { changes: { ocrModel: 'fast' } });
        expect(archive.ocrPool().model).toBe('fast');
      } finally {
        archive.close();
      }
    });
  });
});
