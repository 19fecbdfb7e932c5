/**
 * `slipvault process` drains the durable OCR queue: the command `import` hints at works as printed,
 * a terminal sees pages done/total with an ETA, every run ends with a summary, and the core reports
 * `jobs:progress` events through the archive's event emitter for hosts to show.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { adminClient, TEST_PASSWORD } from '../helpers/sessions';
import { openArchive } from '../../src/main/core/archive';
import type { JobProgress } from '../../src/shared/events';
import type { QueueCounts } from '../../src/shared/model';
import { CLI_BIN, slipvault, slipvaultJson } from '../helpers/cli';
import { newEnglishArchive, writeSlip } from '../helpers/slips';

/** Runs a shell command line on a pseudo-terminal (util-linux `script`), returning what the terminal showed. */
function onTerminal(commandLine: string): { status: number; screen: string } {
  const run = spawnSync('script', ['-qec', commandLine, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
    timeout: 120_000,
  });
  return { status: run.status ?? -1, screen: run.stdout };
}

describe('slipvault process', () => {
  it('runs as import hints, shows pages done/total with an ETA on a terminal, and sums up', async () => {
    const { archive, dir } = newEnglishArchive();
    const files = await Promise.all([0, 1, 2].map((n) => writeSlip(dir, `slip ${n}.png`, [`SLIP NO SO-2026-010${n}`, `TOTAL ${n + 5}.00`])));

    const imported = slipvault(['--archive', archive, 'import', ...files]);
    expect(imported.status).toBe(0);
    const hint = /3 page\(s\) queued for OCR: run `(slipvault --archive .+ process)` to recognise them\./.exec(imported.stdout);
    expect(hint, imported.stdout).not.toBeNull();

    // The hinted command, run as printed (only the program name replaced by the checkout's binary).
    const run = onTerminal(`cd / && ${hint![1]!.replace(/^slipvault/, `${process.execPath} ${CLI_BIN}`)} --workers 1`);
    expect(run.status, run.screen).toBe(0);
    expect(run.screen).toContain('OCR [');
    expect(run.screen).toMatch(/\] 0\/3 pages/);
    expect(run.screen).toMatch(/\] 1\/3 pages {2}ETA \d+:\d\d/);
    expect(run.screen).toMatch(/#{30}\] 3\/3 pages {2}ETA 0:00/);
    expect(run.screen).toMatch(/Processed 3 queued page\(s\) in \d+:\d\d \(\d+\.\d s\/page\)\./);
    expect(run.screen).toContain('OCR queue: 3 done, 0 failed, 0 queued, 0 in progress.');

    // Not a terminal: no progress bar, the same summary; nothing left to do the second time.
    const again = slipvault(['--archive', archive, 'process']);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('No page was waiting for OCR.');
    expect(slipvaultJson<QueueCounts>(['--archive', archive, 'process'])).toEqual({ queued: 0, preprocessing: 0, ocr: 0, done: 3, failed: 0 });
  }, 120_000);

  it('the core reports jobs:progress {jobId, phase ocr, done, total, etaMs} through the archive events', async () => {
    const { archive: dir, dir: files } = newEnglishArchive();
    const paths = await Promise.all([0, 1].map((n) => writeSlip(files, `p${n}.png`, [`SLIP NO SO-2026-020${n}`])));
    const archive = await openArchive(dir, { actor: 'clerk-li', ocrWorkers: 1 });
    try {
      const api = await adminClient(archive, 'clerk-li');
      expect((await api.invoke('documents:import', { paths })).ok).toBe(true);
      const seen: JobProgress[] = [];
      const unsubscribe = archive.events.subscribe((name, payload) => {
        if (name === 'jobs:progress') seen.push(payload as JobProgress);
      });
      const result = await api.invoke('ocr:process', {});
      unsubscribe();
      expect(result).toMatchObject({ ok: true, value: { done: 2, queued: 0 } });
      expect(seen.map(({ done, total }) => [done, total])).toEqual([
        [0, 2],
        [1, 2],
        [2, 2],
      ]);
      expect(new Set(seen.map((progress) => progress.jobId)).size).toBe(1);
      expect(seen.every((progress) => progress.phase === 'ocr')).toBe(true);
      expect(seen[0]!.etaMs).toBeUndefined();
      expect(seen[1]!.etaMs).toBeGreaterThan(0);
      expect(seen[2]!.etaMs).toBe(0);
    } finally {
      archive.close();
    }
  }, 120_000);
});
