/** The foundation issue's acceptance session, run through the built CLI as separate processes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport, DocumentDetail, ImportResult, VersionDiff, VersionSummary } from '../../src/shared/model';
import { ensureCliBuilt, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg, writePdf, writeTiff } from '../helpers/fixtures';

describe('slipvault CLI session', () => {
  beforeAll(() => ensureCliBuilt());

  it('init → import → edit twice → history → diff → restore → check → corruption detected', async () => {
    const archive = join(tempDir(), 'archive');
    const files = tempDir('slipvault-files-');
    const paths = [await writeJpeg(files, '送货单-001.jpg'), await writeTiff(files, 'batch.tiff', 3), writePdf(files, 'contract.pdf', 2)];
    const arc = ['--archive', archive];

    expect(slipvault([...arc, 'init']).status).toBe(0);

    const imported = slipvaultJson<ImportResult>([...arc, 'import', ...paths]);
    expect(imported.failed).toEqual([]);
    expect(imported.imported.map((entry) => entry.document.pageCount)).toEqual([1, 3, 2]);
    const year = new Date().getFullYear();
    expect(imported.imported.map((entry) => entry.document.archiveNo)).toEqual([1, 2, 3].map((n) => `SV-${year}-00000${n}`));
    const target = imported.imported[1]!.document.archiveNo;

    const first = slipvault([
      ...arc,
      'edit',
      target,
      '--set',
      'customer=华南贸易有限公司',
      'amount=1200.50',
      'signedDate=2026-03-05',
      '--reason',
      'filled from slip',
    ]);
    expect(first.status, first.stderr).toBe(0);
    const second = slipvault([...arc, 'edit', target, '--set', 'slipNo=SO-2026-0417', 'type=delivery_receipt', 'tags=urgent,华南']);
    expect(second.status, second.stderr).toBe(0);

    const history = slipvaultJson<VersionSummary[]>([...arc, 'history', target]);
    expect(history.map((version) => [version.number, version.action, version.actor])).toEqual([
      [1, 'import', 'clerk-li'],
      [2, 'edit', 'clerk-li'],
      [3, 'edit', 'clerk-li'],
    ]);
    expect(history[1]!.reason).toBe('filled from slip');

    const diff = slipvaultJson<VersionDiff>([...arc, 'diff', target, '1', '3']);
    expect(Object.fromEntries(diff.fields.map((change) => [change.field, change.to]))).toEqual({
      customer: '华南贸易有限公司',
      type: 'delivery_receipt',
      signedDate: '2026-03-05',
      slipNo: 'SO-2026-0417',
      amount: '1200.50',
      currency: 'CNY',
      tags: ['urgent', '华南'],
    });
    const humanDiff = slipvault([...arc, 'diff', target, '1', '3']);
    expect(humanDiff.stdout).toContain('customer: ∅ → "华南贸易有限公司"');

    const restored = slipvaultJson<DocumentDetail>([...arc, 'restore-version', target, '1']);
    expect(restored.currentVersion).toBe(4);
    expect(restored.metadata.customer).toBeNull();
    expect(restored.metadata.tags).toEqual([]);
    const after = slipvaultJson<VersionSummary[]>([...arc, 'history', target]);
    expect(after.map((version) => version.action)).toEqual(['import', 'edit', 'edit', 'restore']);

    const healthy = slipvault([...arc, 'check']);
    expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(/Archive OK: 3 documents, 6 pages/);

    // Flip one byte of the TIFF's stored original: check must name the document and fail.
    const blobHash = restored.files[0]!.blobHash;
    const blobPath = join(archive, 'blobs', blobHash.slice(0, 2), blobHash.slice(2));
    const bytes = readFileSync(blobPath);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(blobPath, bytes);

    const broken = slipvault([...arc, 'check']);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(target);
    expect(broken.stdout).toMatch(/damaged/);
    const report = JSON.parse(slipvault(['--json', ...arc, 'check']).stdout) as CheckReport;
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'blob-corrupt', documents: [target], blobHash })]);
  });

  it('prints usage errors with exit code 2 and operation failures with exit code 1', () => {
    const archive = join(tempDir(), 'archive');
    expect(slipvault(['--archive', archive, 'init']).status).toBe(0);
    const unknownCommand = slipvault(['--archive', archive, 'frobnicate']);
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command/);
    const missingArchive = slipvault(['list'], { SLIPVAULT_ARCHIVE: '' });
    expect(missingArchive.status).toBe(2);
    expect(missingArchive.stderr).toMatch(/--archive/);
    const unknownDoc = slipvault(['--archive', archive, '--json', 'show', 'SV-2026-000999']);
    expect(unknownDoc.status).toBe(1);
    expect(JSON.parse(unknownDoc.stdout)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(unknownDoc.stderr).toMatch(/no document SV-2026-000999/);
  });
});
