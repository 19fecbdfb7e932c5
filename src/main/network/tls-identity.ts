/**
 * The network server's TLS certificate: self-signed, made at the first `serve --listen` and kept in a
 * folder beside the archive's database (`<archive>/tls`), the key readable only by the OS user running the
 * server (0600). Clients pin the certificate's SHA-256 fingerprint on their first connection, as SSH pins
 * host keys, so no certificate authority is involved and the certificate must stay the same: a missing half
 * of the pair or a key others can read is refused, never silently replaced.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { SlipVaultError } from '../../shared/errors';

export const CERTIFICATE_FILE = 'server.crt';
export const KEY_FILE = 'server.key';

/** Pinned, so expiry protects nothing; long enough that an office never meets it. */
const VALID_YEARS = 20;

export interface ServerCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (what clients compare and pin). */
  fingerprint: string;
  /** True when this start made it. */
  created: boolean;
}

export function tlsFolder(archiveDir: string): string {
  return join(archiveDir, 'tls');
}

function load(folder: string): ServerCertificate {
  const certFile = join(folder, CERTIFICATE_FILE);
  const keyFile = join(folder, KEY_FILE);
  if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) {
    throw new SlipVaultError('CONFLICT', `${keyFile} can be read by other OS users; run \`chmod 600 ${keyFile}\` and start the server again.`, {
      file: keyFile,
      reason: 'key-not-private',
    }).withMessage('server.keyNotPrivate', { file: keyFile });
  }
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
    if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new Error('the key is not the certificate’s');
  } catch (error) {
    throw new SlipVaultError(
      'CONFLICT',
      `The server certificate in ${folder} is damaged (${(error as Error).message}). Restore both files from where you keep them, or move the folder away to make a new certificate — every client will then be asked to trust the new fingerprint.`,
      { folder, reason: 'certificate-damaged' },
    ).withMessage('server.certificateDamaged', { folder, reason: (error as Error).message });
  }
  return { cert, key, fingerprint: certificate.fingerprint256, created: false };
}

/** The certificate kept in `folder`, made there first when the folder has neither file. */
export async function serverCertificate(folder: string, hosts: string[]): Promise<ServerCertificate> {
  const haveCert = existsSync(join(folder, CERTIFICATE_FILE));
  const haveKey = existsSync(join(folder, KEY_FILE));
  if (haveCert && haveKey) return load(folder);
  if (haveCert !== haveKey) {
    throw new SlipVaultError(
      'CONFLICT',
      `${folder} holds ${haveCert ? CERTIFICATE_FILE : KEY_FILE} without ${haveCert ? KEY_FILE : CERTIFICATE_FILE}. Put the missing file back, or move the folder away to make a new certificate — every client will then be asked to trust the new fingerprint.`,
      { folder, reason: 'certificate-incomplete' },
    ).withMessage('server.certificateIncomplete', {
      folder,
      present: haveCert ? CERTIFICATE_FILE : KEY_FILE,
      missing: haveCert ? KEY_FILE : CERTIFICATE_FILE,
    });
  }
  const names = [...new Set(['localhost', hostname(), ...hosts])];
  const isIp = (name: string) => /^[\d.]+$/.test(name) || name.includes(':');
  const notBefore = new Date();
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + VALID_YEARS);
  const made = await generate([{ name: 'commonName', value: `SlipVault server ${hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((name) => (isIp(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    ],
  });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(join(folder, KEY_FILE), made.private, { mode: 0o600, flag: 'wx' });
  writeFileSync(join(folder, CERTIFICATE_FILE), made.cert, { mode: 0o644, flag: 'wx' });
  return { cert: made.cert, key: made.private, fingerprint: new X509Certificate(made.cert).fingerprint256, created: true };
}
