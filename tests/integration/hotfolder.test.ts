/** `slipvault watch --once`: complete files imported and moved to done/, bad ones to failed/ with a reason, growing files left alone. */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CheckReport, InboxItem } from '../../src/shared/model';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

describe('hot folder', () => {
  it('imports completely written files once, moves them, and explains failures', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const hot = join(dir, 'scans');
    slipvaultJson(['--archive', archive, 'init']);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="120"><rect width="100%" height="100%" fill="white"/><text x="20" y="70" font-size="36" font-family="WenQuanYi Zen Hei, sans-serif">签收单 SO-2026-0501</text></svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const jpeg = await sharp(Buffer.from(svg)).jpeg().toBuffer();
    slipvault(['--archive', archive, 'watch', hot, '--once', '--interval', '100', '--quiet', '100']); // creates the folders
    writeFileSync(join(hot, 'scan-001.png'), png);
    copyFileSync(join(hot, 'scan-001.png'), join(hot, 'scan-009-copy.png'));
    writeFileSync(join(hot, 'broken.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    writeFileSync(join(hot, 'scan-002.pdf.part'), 'still uploading');
    // A scanner still writing: the file grows the whole time the watcher runs.
    const growing = join(hot, 'growing.png');
    writeFileSync(growing, png.subarray(0, 100));
    const writer = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');setInterval(()=>fs.appendFileSync(${JSON.stringify(growing)},'x'),150);setTimeout(()=>process.exit(0),6000)`,
    ]);

    const run = slipvault(['--archive', archive, '--json', 'watch', hot, '--once', '--interval', '300', '--quiet', '1200']);
    writer.kill();
    expect(run.status).toBe(1); // some files failed
    const events = JSON.parse(run.stdout) as { file: string; outcome: { ok: boolean; reason?: string } }[];
    expect(events.map((event) => [event.file.split('/').pop(), event.outcome.ok]).sort()).toEqual([
      ['broken.jpg', false],
      ['scan-001.png', true],
      ['scan-009-copy.png', false],
    ]);

    expect(readdirSync(join(hot, 'done'))).toEqual(['scan-001.png']);
    expect(readdirSync(join(hot, 'failed')).sort()).toEqual(['broken.jpg', 'broken.jpg.reason.txt', 'scan-009-copy.png', 'scan-009-copy.png.reason.txt']);
    expect(readFileSync(join(hot, 'failed', 'broken.jpg.reason.txt'), 'utf8')).toMatch(/damaged or incomplete/);
    expect(readFileSync(join(hot, 'failed', 'scan-009-copy.png.reason.txt'), 'utf8')).toMatch(/already in the archive as SV-\d{4}-000001/);
    expect(existsSync(growing)).toBe(true);
    expect(existsSync(join(hot, 'scan-002.pdf.part'))).toBe(true);

    const inbox = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox']);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ pagesDone: 1, pagesTotal: 1 });
    expect(inbox[0]!.suggestions.find((s) => s.field === 'slipNo')?.value).toBe('SO-2026-0501');
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  });
});
