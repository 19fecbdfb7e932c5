/**
 * The network server's inputs and files: listen addresses and svs:// URLs (bad ones refused by name),
 * fingerprints as users type them, the trusted-servers file, and the TLS certificate — made once with a
 * 0600 key and the same fingerprint on every later start; half a pair, a key others can read or a damaged
 * pair refused, never replaced.
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnownServerStore, normalizeFingerprint } from '../../src/main/network/known-servers';
import { formatServerUrl, parseListenAddress, parseServerUrl } from '../../src/main/network/server-address';
import { serverCertificate } from '../../src/main/network/tls-identity';
import { SlipVaultError } from '../../src/shared/errors';
import { tempDir } from '../helpers/fixtures';

function refusal(work: () => unknown): SlipVaultError {
  try {
    work();
  } catch (error) {
    if (error instanceof SlipVaultError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function asyncRefusal(work: () => Promise<unknown>): Promise<SlipVaultError> {
  const error: unknown = await work().then(
    () => new Error('expected a refusal'),
    (caught: unknown) => caught,
  );
  if (error instanceof SlipVaultError) return error;
  throw error;
}

describe('server addresses', () => {
  it('reads HOST:PORT and svs://HOST:PORT, IPv6 in brackets', () => {
    expect(parseListenAddress('0.0.0.0:7443')).toEqual({ host: '0.0.0.0', port: 7443 });
    expect(parseListenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseServerUrl('svs://archive.office.lan:7443/')).toEqual({ host: 'archive.office.lan', port: 7443 });
    expect(parseServerUrl('SVS://[::1]:7443')).toEqual({ host: '::1', port: 7443 });
    expect(formatServerUrl({ host: '::1', port: 7443 })).toBe('svs://[::1]:7443');
  });

  it('refuses what is not one, saying how to write it', () => {
    expect(refusal(() => parseListenAddress('7443')).message).toBe(
      '"7443" is not an address to listen on: write it as HOST:PORT, e.g. 0.0.0.0:7443 or 127.0.0.1:7443.',
    );
    expect(refusal(() => parseListenAddress('host:70000')).code).toBe('VALIDATION');
    expect(refusal(() => parseServerUrl('https://archive:7443')).message).toContain('write it as svs://HOST:PORT');
    expect(refusal(() => parseServerUrl('svs://archive')).message).toContain('write it as svs://HOST:PORT');
    expect(refusal(() => parseServerUrl('svs://archive:0')).message).toBe('"svs://archive:0" names port 0; give the port the server prints when it starts.');
  });
});

describe('fingerprints and trusted servers', () => {
  const fingerprint = 'AF:4B:8B:F7:48:CE:90:F3:A2:63:FF:8F:07:75:17:15:84:17:2D:DF:8F:76:83:70:F5:FD:63:05:C6:1C:C1:BB';

  it('takes a fingerprint as printed, without colons, in lower case or with a SHA256: prefix', () => {
    expect(normalizeFingerprint(fingerprint)).toBe(fingerprint);
    expect(normalizeFingerprint(fingerprint.replace(/:/g, '').toLowerCase())).toBe(fingerprint);
    expect(normalizeFingerprint(`SHA256:${fingerprint}`)).toBe(fingerprint);
    expect(normalizeFingerprint(fingerprint.slice(3))).toBeNull();
    expect(normalizeFingerprint('not hex at all')).toBeNull();
  });

  it('remembers one fingerprint per server in a 0600 file, and refuses a file it did not write', () => {
    const folder = join(tempDir(), 'config');
    const store = new KnownServerStore(folder);
    const address = { host: 'archive.office.lan', port: 7443 };
    expect(store.fingerprintOf(address)).toBeNull();
    store.trust(address, fingerprint);
    expect(new KnownServerStore(folder).fingerprintOf(address)).toBe(fingerprint);
    expect(new KnownServerStore(folder).fingerprintOf({ ...address, port: 7444 })).toBeNull();
    expect(statSync(join(folder, 'known-servers.json')).mode & 0o777).toBe(0o600);
    writeFileSync(join(folder, 'known-servers.json'), 'not json');
    const error = refusal(() => store.fingerprintOf(address));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toContain('move it away');
  });
});

describe('the server certificate', () => {
  it('is made once with a private key, and the same one is used on every later start', async () => {
    const folder = join(tempDir(), 'archive', 'tls');
    const made = await serverCertificate(folder, ['127.0.0.1', 'archive.office.lan']);
    expect(made.created).toBe(true);
    expect(made.fingerprint).toBe(new X509Certificate(readFileSync(join(folder, 'server.crt'))).fingerprint256);
    expect(statSync(join(folder, 'server.key')).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(made.cert).subjectAltName).toContain('IP Address:127.0.0.1');
    const again = await serverCertificate(folder, ['127.0.0.1']);
    expect(again).toMatchObject({ created: false, fingerprint: made.fingerprint });
  });

  it('refuses a key others can read, half a pair and a damaged pair, and replaces none of them', async () => {
    const folder = join(tempDir(), 'tls');
    const made = await serverCertificate(folder, []);
    const key = join(folder, 'server.key');

    chmodSync(key, 0o644);
    const open = await asyncRefusal(() => serverCertificate(folder, []));
    expect(open).toMatchObject({ code: 'CONFLICT', details: { reason: 'key-not-private' } });
    expect(open.message).toBe(`${key} can be read by other OS users; run \`chmod 600 ${key}\` and start the server again.`);
    chmodSync(key, 0o600);

    renameSync(key, `${key}.away`);
    const half = await asyncRefusal(() => serverCertificate(folder, []));
    expect(half).toMatchObject({ code: 'CONFLICT', details: { reason: 'certificate-incomplete' } });
    expect(half.message).toContain('holds server.crt without server.key');
    renameSync(`${key}.away`, key);

    const other = await serverCertificate(join(tempDir(), 'other'), []);
    writeFileSync(key, other.key, { mode: 0o600 });
    const damaged = await asyncRefusal(() => serverCertificate(folder, []));
    expect(damaged).toMatchObject({ code: 'CONFLICT', details: { reason: 'certificate-damaged' } });
    expect(new X509Certificate(readFileSync(join(folder, 'server.crt'))).fingerprint256).toBe(made.fingerprint);
  });
});
