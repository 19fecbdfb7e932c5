/**
 * Scanner capture on Linux through SANE's `scanimage` (Debian package sane-utils). Windows and macOS
 * users scan to the hot folder instead. What becomes of a batch's sheets is decided in scan-batch.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import { sharp } from '../native-libraries';

export interface Scanner {
  device: string;
  vendor: string;
  model: string;
  type: string;
}

export interface ScanOptions {
  device?: string;
  source?: 'ADF' | 'Flatbed';
  duplex?: boolean;
  resolution?: number;
  /** Stop after this many pages (a feeder otherwise scans until it is empty). */
  pages?: number;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('scanimage', args, { env, encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(
          new SlipVaultError('NOT_FOUND', "Scanning needs SANE's scanimage (Debian/Ubuntu package sane-utils), which is not installed.").withMessage(
            'scan.noSane',
          ),
        );
      }
      const reason = stderr.trim().split('\n').filter(Boolean).pop() ?? error.message;
      reject(
        new SlipVaultError('FILE_UNREADABLE', `The scanner reported an error: ${reason.replace(/^scanimage:\s*/, '')}.`).withMessage('scan.scannerError', {
          reason: reason.replace(/^scanimage:\s*/, ''),
        }),
      );
    });
  });
}

export async function listScanners(env: NodeJS.ProcessEnv = process.env): Promise<Scanner[]> {
  const out = await run(['-f', '%d\t%v\t%m\t%t%n'], env);
  return out
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [device = '', vendor = '', model = '', type = ''] = line.split('\t');
      return { device, vendor, model, type };
    });
}

/** Scans a batch and returns its sheets in feed order, as PNG images (blank separator sheets included). */
export async function captureBatch(options: ScanOptions, env: NodeJS.ProcessEnv = process.env): Promise<Buffer[]> {
  const device = options.device ?? (await listScanners(env))[0]?.device;
  if (!device)
    throw new SlipVaultError('NOT_FOUND', 'No scanner was found. Check that it is switched on and connected (`slipvault scanners`).').withMessage(
      'scan.noScanner',
    );
  const work = mkdtempSync(join(tmpdir(), 'slipvault-scan-'));
  try {
    const source = options.source === 'ADF' ? (options.duplex ? 'ADF Duplex' : 'Automatic Document Feeder') : 'Flatbed';
    const args = [
      '-d',
      device,
      '--source',
      source,
      '--resolution',
      String(options.resolution ?? 300),
      '--format=png',
      `--batch=${join(work, 'page-%04d.png')}`,
    ];
    if (options.source !== 'ADF') args.push('--batch-count=1');
    else if (options.pages) args.push(`--batch-count=${options.pages}`);
    await run(args, env);
    const pages = readdirSync(work)
      .filter((name) => name.endsWith('.png'))
      .sort();
    if (pages.length === 0) throw new SlipVaultError('NOT_FOUND', 'The scanner delivered no pages (is the feeder empty?).').withMessage('scan.noPages');
    // Re-encoded as sRGB: a TIFF joined from scanimage's one-channel grey PNGs fails to render page by page.
    return await Promise.all(pages.map((name) => sharp(join(work, name)).png().toBuffer()));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
