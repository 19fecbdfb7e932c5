/**
 * Scanner capture on Linux through SANE's `scanimage` (Debian package sane-utils). Windows and macOS
 * users scan to the hot folder instead. A batch is split on blank separator sheets and on pages whose
 * barcode carries a slip number; each part becomes one multi-page TIFF, imported as one document.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import { splitBatch } from './batch-split';
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
  /** The archive's slip-number patterns: a barcode page matching one starts a new document. */
  slipPatterns?: string[];
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('scanimage', args, { env, encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new SlipVaultError('NOT_FOUND', 'Scanning needs SANE\'s scanimage (Debian/Ubuntu package sane-utils), which is not installed.'));
      }
      const reason = stderr.trim().split('\n').filter(Boolean).pop() ?? error.message;
      reject(new SlipVaultError('FILE_UNREADABLE', `The scanner reported an error: ${reason.replace(/^scanimage:\s*/, '')}.`));
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

/** Scans a batch and returns its documents as multi-page TIFF files (in a temporary folder the caller removes). */
export async function scanBatch(
  options: ScanOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ files: string[]; pages: number; cleanup: () => void }> {
  const device = options.device ?? (await listScanners(env))[0]?.device;
  if (!device) throw new SlipVaultError('NOT_FOUND', 'No scanner was found. Check that it is switched on and connected (`slipvault scanners`).');
  const work = mkdtempSync(join(tmpdir(), 'slipvault-scan-'));
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  try {
    const source = options.source === 'ADF' ? (options.duplex ? 'ADF Duplex' : 'Automatic Document Feeder') : 'Flatbed';
    const args = ['-d', device, '--source', source, '--resolution', String(options.resolution ?? 300), '--format=png', `--batch=${join(work, 'page-%04d.png')}`];
    if (options.source !== 'ADF') args.push('--batch-count=1');
    else if (options.pages) args.push(`--batch-count=${options.pages}`);
    await run(args, env);
    const pages = readdirSync(work).filter((name) => name.endsWith('.png')).sort();
    if (pages.length === 0) throw new SlipVaultError('NOT_FOUND', 'The scanner delivered no pages (is the feeder empty?).');
    const frames = await Promise.all(pages.map((name) => sharp(join(work, name)).png().toBuffer()));
    const documents = await splitBatch(frames, options.slipPatterns);
    if (documents.length === 0) throw new SlipVaultError('NOT_FOUND', `All ${pages.length} scanned page(s) are blank.`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const files: string[] = [];
    for (const [index, document] of documents.entries()) {
      const file = join(work, `scan-${stamp}-${index + 1}.tiff`);
      // sharp joins two or more images only; a single sheet (the flatbed) is its own one-page TIFF.
      const image = document.pages.length === 1 ? sharp(document.pages[0]) : sharp(document.pages, { join: { animated: true } });
      writeFileSync(file, await image.tiff({ compression: 'lzw' }).toBuffer());
      files.push(file);
    }
    return { files, pages: pages.length, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
