/** SANE capture with the `test` backend (sane-utils), enabled through a SANE config folder of our own. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport, DocumentSummary, InboxItem } from '../../src/shared/model';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { hasScanimage, saneTestConfig } from '../helpers/sane';

describe.runIf(hasScanimage())('SANE scanner capture (test backend)', () => {
  it('lists the test scanners, scans an ADF batch into one inbox document and OCRs it', () => {
    const dir = tempDir();
    const env = { SANE_CONFIG_DIR: saneTestConfig(2) };
    const archive = join(dir, 'archive');
    slipvaultJson(['--archive', archive, 'init']);

    const scanners = slipvaultJson<{ device: string }[]>(['scanners'], env);
    expect(scanners.map((scanner) => scanner.device)).toEqual(['test:0', 'test:1']);

    const scan = slipvaultJson<{ documents: DocumentSummary[]; pages: number; queue: { done: number; failed: number } }>(
      ['--archive', archive, 'scan', '--device', 'test:0', '--source', 'ADF', '--resolution', '50', '--pages', '3'],
      env,
    );
    expect(scan.pages).toBe(3);
    expect(scan.documents).toHaveLength(1);
    expect(scan.documents[0]).toMatchObject({ pageCount: 3, status: 'inbox' });
    expect(scan.queue).toMatchObject({ done: 3, failed: 0 });
    const inbox = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox']);
    expect(inbox[0]).toMatchObject({ pagesDone: 3, pagesTotal: 3 });

    const duplex = slipvault(['--archive', archive, 'scan', '--device', 'test:0', '--source', 'ADF', '--duplex', '--pages', '1'], env);
    expect(duplex.status).toBe(1);
    expect(duplex.stderr).toMatch(/scanner reported an error/);
    const missing = slipvault(['--archive', archive, 'scan', '--device', 'nosuch:0'], env);
    expect(missing.status).toBe(1);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  });
});
