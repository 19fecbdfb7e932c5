/**
 * `npm run preview -- --archive DIR [--port N] [--folder-root DIR]…`: starts the preview host (preview.ts)
 * on an archive folder and prints the URL to open. The page may use folders (backup targets, restore
 * folders, the hot folder) only under a --folder-root. Bundled to dist/preview/preview.cjs; runs until Ctrl+C.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appLog } from '../core/logging/logger';
import { userConfigFolder } from '../network/known-servers';
import { startPreviewHost } from './preview';

const USAGE = 'usage: npm run preview -- --archive DIR [--port N] [--folder-root DIR]…';

async function main(): Promise<void> {
  let values: { archive?: string; port?: string; 'folder-root'?: string[] };
  try {
    ({ values } = parseArgs({
      options: { archive: { type: 'string' }, port: { type: 'string' }, 'folder-root': { type: 'string', multiple: true } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const archiveDir = values.archive ?? process.env.SLIPVAULT_ARCHIVE;
  const port = values.port === undefined ? 0 : Number(values.port);
  const folderRoots = (values['folder-root'] ?? []).map((root) => resolve(root));
  const missingRoot = folderRoots.find((root) => !existsSync(root));
  if (missingRoot) {
    console.error(`--folder-root ${missingRoot} does not exist.\n${USAGE}`);
    process.exit(2);
  }
  if (!archiveDir || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(USAGE);
    process.exit(2);
  }
  const host = await startPreviewHost({
    archiveDir: resolve(archiveDir),
    // The bundle lives in dist/preview/; the renderer build next to it in dist/renderer/.
    rendererRoot: join(__dirname, '..', 'renderer'),
    port,
    folderRoots,
    actor: process.env.SLIPVAULT_USER || undefined,
    // The same folder as the CLI's trusted servers: a server trusted in one is trusted in the other.
    configFolder: userConfigFolder(),
  });
  console.log(`SlipVault preview on ${host.archive.dir}`);
  console.log(
    folderRoots.length > 0
      ? `Folders the page may use: under ${folderRoots.join(', ')}`
      : 'Folders the page may use: none (start with --folder-root DIR to allow backups and a hot folder)',
  );
  if (host.server) console.log(`The pages work on the SlipVault server ${host.server} (Settings → Server to change).`);
  console.log(`Open ${host.url}`);
  appLog().info({ archive: host.archive.dir, folderRoots }, 'preview started');
  const stop = () => {
    appLog().info('preview stopped');
    host.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  appLog().error({ err: error }, 'preview failed');
  console.error(`preview failed: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
