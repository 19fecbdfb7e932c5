/**
 * A SlipVault server in the test's own process: a temp archive, its session, and `serveNetwork` on a free
 * loopback port with the certificate `slipvault serve` would make — the same code the command runs,
 * without a child process, so a test can also reach the archive directly.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import { openSession, type ArchiveSession } from '../../src/main/host/session';
import { serveNetwork, type NetworkServer } from '../../src/main/network/network-server';
import { serverCertificate, tlsFolder } from '../../src/main/network/tls-identity';
import type { Role } from '../../src/shared/model';
import { ensureUser } from './sessions';

export interface ServedArchive {
  archive: Archive;
  session: ArchiveSession;
  network: NetworkServer;
  /** svs://127.0.0.1:PORT */
  url: string;
  fingerprint: string;
  /** The server's --folder-root: files a network client may import. */
  scans: string;
  close(): Promise<void>;
}

/** Serves `archive` on `port` (0: a free one) with the certificate in its folder, made at the first start. */
async function serve(archive: Archive, port: number, scans: string): Promise<ServedArchive> {
  const session = openSession(archive, { backgroundOcr: false, resumeHotFolder: false });
  const certificate = await serverCertificate(tlsFolder(archive.dir), ['127.0.0.1']);
  const network = await serveNetwork(session, { listen: { host: '127.0.0.1', port }, certificate, program: 'test server', folderRoots: [scans] });
  let closed = false;
  return {
    archive,
    session,
    network,
    url: network.url,
    fingerprint: certificate.fingerprint,
    scans,
    async close() {
      if (closed) return;
      closed = true;
      await network.close();
      await session.close();
    },
  };
}

export async function serveArchive(dir: string, users: Record<string, Role>): Promise<ServedArchive> {
  const archive = await initArchive(join(dir, 'server-archive'), { program: 'test server' });
  for (const [username, role] of Object.entries(users)) await ensureUser(archive, username, role);
  const scans = join(dir, 'server-scans');
  mkdirSync(scans);
  return serve(archive, 0, scans);
}

/** The server of `served` started again after it was closed: the same archive, certificate and port (issue 20 item 4). */
export async function serveAgain(served: ServedArchive): Promise<ServedArchive> {
  const port = Number(new URL(served.url.replace(/^svs:/, 'http:')).port);
  return serve(await openArchive(served.archive.dir), port, served.scans);
}
