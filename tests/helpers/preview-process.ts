/** `npm run preview`'s host as its own process (the built dist/preview/preview.cjs), on a workstation of its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { PreviewHost } from '../../src/main/host/preview';
import { tempDir } from './fixtures';

const ROOT = resolve(__dirname, '..', '..');

export interface PreviewProcess {
  child: ChildProcess;
  host: PreviewHost;
  /** The host's own archive, on this computer. */
  archive: string;
}

/** Starts the host with `config` as its OS user's configuration folder; `env` adds to the environment (SANE's configuration). */
export function startPreviewProcess(config: string, env: NodeJS.ProcessEnv = {}): Promise<PreviewProcess> {
  const archive = join(tempDir('slipvault-pc-'), 'archive');
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'preview', 'preview.cjs'), '--archive', archive], {
    env: { ...process.env, ...env, SLIPVAULT_CONFIG_DIR: config, SLIPVAULT_RUNTIME_DIR: tempDir('slipvault-runtime-') },
  });
  let stdout = '';
  return new Promise((resolveHost, reject) => {
    child.once('exit', (code) => reject(new Error(`the preview host exited ${code}: ${stdout}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const open = /Open (http:\/\/127\.0\.0\.1:(\d+))\/#token=(\S+)/.exec(stdout);
      if (!open) return;
      child.removeAllListeners('exit');
      resolveHost({ child, archive, host: { port: Number(open[2]), token: decodeURIComponent(open[3]!), origin: open[1]! } as PreviewHost });
    });
  });
}
