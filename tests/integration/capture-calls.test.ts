/**
 * The capture calls the Inbox screen uses, on a real archive: scanner:list / scanner:scan over SANE's
 * `test` backend (enabled through a SANE config folder of our own), hotFolder:watch / status / stop over a
 * real folder. Bad input is refused with a specific error and leaves the archive alone. On both back ends.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { useScannerArchive } from '../helpers/scanner-archive';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { hasScanimage } from '../helpers/sane';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  const scanner = useScannerArchive(backEnd, 2);
  const { call, refusal } = scanner;

  describe.runIf(hasScanimage())('scanner calls (SANE test backend)', () => {
    it('lists the scanners and scans an ADF batch into an inbox document', async () => {
      const scanners = await call('scanner:list', {});
      expect(scanners.map((scanner) => scanner.device)).toEqual(['test:0', 'test:1']);

      const scan = await call('scanner:scan', { device: 'test:0', source: 'ADF', resolution: 50, pages: 2 });
      expect(scan.pages).toBe(2);
      expect(scan.import.failed).toEqual([]);
      expect(scan.import.imported).toHaveLength(1);
      expect(scan.import.imported[0]!.document).toMatchObject({ pageCount: 2, status: 'inbox' });
      expect(await call('ocr:queue', {})).toMatchObject({ queued: 2 });
    });

    it('refuses bad scan options before scanning, and reports a scanner error as one sentence', async () => {
      const before = scanner.archive.status().documents;
      expect(await refusal('scanner:scan', { source: 'Flatbed', duplex: true })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('duplex scanning needs the ADF source'),
      });
      expect(await refusal('scanner:scan', { device: '--help' })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('SANE device name') });
      expect(await refusal('scanner:scan', { device: 'test:0', resolution: 20 })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('at least 50 dpi'),
      });
      expect(await refusal('scanner:scan', { source: 'Drum' })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('ADF or Flatbed') });
      const missing = await refusal('scanner:scan', { device: 'nosuch:0', resolution: 50 });
      expect(missing.code).toBe('FILE_UNREADABLE');
      expect(missing.message).toMatch(/^The scanner reported an error: /);
      expect(scanner.archive.status().documents).toBe(before);
    });
  });

  describe('hot folder calls', () => {
    it('refuses a relative path, a missing folder and a file', async () => {
      expect(await refusal('hotFolder:watch', { path: 'scans' })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('full path') });
      const dir = tempDir();
      expect(await refusal('hotFolder:watch', { path: join(dir, 'nope') })).toMatchObject({ code: 'NOT_FOUND' });
      writeFileSync(join(dir, 'file.txt'), 'x');
      expect(await refusal('hotFolder:watch', { path: join(dir, 'file.txt') })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('not a folder'),
      });
      expect(await refusal('hotFolder:watch', { path: '' })).toMatchObject({ code: 'VALIDATION' });
      expect(await call('hotFolder:status', {})).toMatchObject({ watching: false, path: null });
    });

    it('imports complete files, moves refused ones to failed/ with a reason, counts both, and stops', async () => {
      const folder = tempDir('slipvault-hot-');
      const watching = await call('hotFolder:watch', { path: folder });
      expect(watching).toMatchObject({ watching: true, path: folder, done: 0, failed: 0, lastError: null });

      await writeJpeg(folder, 'slip-1.jpg');
      writeFileSync(join(folder, 'broken.jpg'), Buffer.from('not an image at all'));
      await expect.poll(() => call('hotFolder:status', {}), { timeout: 15_000 }).toMatchObject({ done: 1, failed: 1 });
      const status = await call('hotFolder:status', {});
      expect(status.lastError).toContain('broken.jpg');
      expect(readdirSync(join(folder, 'done'))).toEqual(['slip-1.jpg']);
      expect(readdirSync(join(folder, 'failed')).sort()).toEqual(['broken.jpg', 'broken.jpg.reason.txt']);
      expect(readFileSync(join(folder, 'failed', 'broken.jpg.reason.txt'), 'utf8').trim().length).toBeGreaterThan(0);

      const stopped = await call('hotFolder:stop', {});
      expect(stopped).toMatchObject({ watching: false, done: 1, failed: 1 });
      await writeJpeg(folder, 'after-stop.jpg');
      await new Promise((wait) => setTimeout(wait, 3500));
      expect(existsSync(join(folder, 'after-stop.jpg'))).toBe(true);
      expect((await call('hotFolder:status', {})).watching).toBe(false);
    });
  });
});
