/** `slipvault unvoid`, `edit-many` and `export-pdf` as real processes on a real archive. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchEditResult, DocumentDetail, ImportResult } from '../../src/shared/model';
import { ensureCliBuilt, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe('slipvault unvoid, edit-many, export-pdf', () => {
  beforeAll(() => ensureCliBuilt());

  it('un-voids with a reason, edits several documents listing refusals (exit 1), writes the PDF with its cover', async () => {
    const archive = join(tempDir(), 'archive');
    const files = tempDir('slipvault-clerk-cli-');
    const arc = ['--archive', archive];
    expect(slipvault([...arc, 'init']).status).toBe(0);
    const imported = slipvaultJson<ImportResult>([...arc, 'import', await writeJpeg(files, 'a.jpg'), await writeJpeg(files, 'b.jpg')]);
    const [a, b] = imported.imported.map((entry) => entry.document.archiveNo) as [string, string];

    expect(slipvault([...arc, 'void', b, '--reason', 'duplicate']).status).toBe(0);
    const edited = slipvault([...arc, 'edit-many', a, b, '--set', 'customer=华南贸易', 'type=contract', '--reason', 'from the stack']);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toContain(`edited   ${a}  version 2`);
    expect(edited.stdout).toContain(`refused  ${b}  ${b} is voided`);
    expect(edited.stdout).toContain('1 edited, 1 refused');

    expect(slipvault([...arc, 'unvoid', b]).status).toBe(2);
    const back = slipvaultJson<DocumentDetail>([...arc, 'unvoid', b, '--reason', 'not a duplicate']);
    expect([back.status, back.currentVersion]).toEqual(['inbox', 3]);
    const both = slipvaultJson<BatchEditResult>([...arc, 'edit-many', a, b, '--set', 'signedDate=2026-04-01']);
    expect(both.outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(slipvault([...arc, 'edit-many', a, '--set', 'signedDate=2026-02-30']).status).toBe(2);

    const out = join(files, `${a}.pdf`);
    const written = slipvault([...arc, 'export-pdf', a, '--out', out]);
    expect(written.status).toBe(0);
    expect(written.stdout).toContain(`${a}: 2 page(s) written to ${out}.`);
    expect((await PDFDocument.load(readFileSync(out))).getPageCount()).toBe(2);
  });
});
