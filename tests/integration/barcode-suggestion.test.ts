/**
 * A barcode / QR code on a page becomes its document's best slip-number suggestion (source 'barcode'),
 * read while the queue recognises the page — here with networking disabled (`unshare -n`): the zxing
 * wasm comes from its npm package, never a CDN.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport, DocumentDetail, InboxItem, QueueCounts } from '../../src/shared/model';
import { CLI_BIN, slipvaultJson } from '../helpers/cli';
import { barcodePng, slipPage } from '../helpers/barcodes';
import { newEnglishArchive } from '../helpers/slips';
import { TEST_PASSWORD } from '../helpers/sessions';

describe('barcode slip numbers', () => {
  it('become the top slip-number suggestion with high confidence, offline, and are filed', async () => {
    const { archive, dir } = newEnglishArchive();
    const withQr = join(dir, 'qr.png');
    writeFileSync(withQr, await slipPage(['DELIVERY NOTE', 'SLIP NO DN-2026-0999'], await barcodePng('SO-2026-0701', 'QRCode')));
    const plain = join(dir, 'plain.png');
    writeFileSync(plain, await slipPage(['DELIVERY NOTE', 'SLIP NO DN-2026-0702']));
    slipvaultJson(['--archive', archive, 'import', withQr, plain]);

    const run = spawnSync('unshare', ['-n', process.execPath, CLI_BIN, '--json', '--archive', archive, 'process', '--workers', '1'], {
      encoding: 'utf8',
      env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout) as QueueCounts).toMatchObject({ done: 2, failed: 0 });

    const inbox = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox']);
    const qr = inbox.find((item) => item.document.title === 'qr')!;
    const slipNumbers = qr.suggestions.filter((suggestion) => suggestion.field === 'slipNo');
    expect(slipNumbers[0]).toEqual({ field: 'slipNo', value: 'SO-2026-0701', confidence: 0.99, evidence: 'QRCode on page 1: SO-2026-0701', source: 'barcode' });
    // The number printed as text is still offered, below the barcode's.
    expect(slipNumbers.slice(1).map((suggestion) => suggestion.value)).toContain('DN-2026-0999');
    const other = inbox.find((item) => item.document.title === 'plain')!;
    expect(other.suggestions.filter((suggestion) => suggestion.source === 'barcode')).toEqual([]);
    expect(other.suggestions.find((suggestion) => suggestion.field === 'slipNo')?.value).toBe('DN-2026-0702');

    expect(
      slipvaultJson<DocumentDetail>(['--archive', archive, 'file', qr.document.archiveNo, '--set', 'customer=华南贸易', 'signedDate=2026-07-01']).slipNo,
    ).toBe('SO-2026-0701');
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  }, 120_000);
});
