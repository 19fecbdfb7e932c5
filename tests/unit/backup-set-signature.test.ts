/**
 * Backup sets are authenticated before anything is written: anyone holding the recipient's age public key
 * can encrypt a whole set, so a set made to public keys is trusted only when it is signed by the archive's
 * backup signer; a passphrase set is trusted because only a passphrase holder can have made it. Real
 * archives, real sets on disk, sets forged as an attacker would make them. On both storage back ends where the
 * archive signs, verifies or is restored; the refusals that read only sets and keys run on SQLite only.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { generateIdentity, parseIdentityFile, parseRecipient, type AgeIdentity } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { restoreBackup } from '../../src/main/core/backup/read';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { CATALOG_FILE, MANIFEST_ENTRY, UNSIGNED_FORMAT, listSets, type Catalog } from '../../src/main/core/backup/target';
import { verifyBackups } from '../../src/main/core/backup/verify';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { forgeSet } from '../helpers/forge-set';
import { refusalFrom, rewriteSet } from '../helpers/tamper';

const PASSPHRASE = 'lantern copper 47 river';

describe.each(BACK_ENDS)('backup set signatures (%s)', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  const onSqliteOnly = it.runIf(backEndName === 'sqlite');
  let archive: Archive;
  let keys: { identity: string; recipient: string };
  let identities: AgeIdentity[];
  let signers: string[];

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    for (let i = 0; i < 2; i++) await archive.documents.importFile(await writeJpeg(files, `slip-${i}.jpg`));
    keys = generateIdentity();
    identities = parseIdentityFile(keys.identity);
    signers = [archiveSigner(archive)];
  });

  afterAll(() => archive.close());

  const genuineSet = async (): Promise<{ target: string; set: Catalog }> => {
    const target = tempDir('slipvault-target-');
    await createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)] });
    return { target, set: listSets(target)[0]! };
  };

  /** Restores the newest set into a new folder and returns the refusal; the folder's parent stays empty. */
  const refusedRestore = async (target: string, options: { signers?: string[]; identities?: AgeIdentity[] } = {}) => {
    const parent = tempDir('slipvault-parent-');
    const error = await refusalFrom(() =>
      restoreBackup(target, join(parent, 'restores', 'R'), options.identities ?? identities, { signers: options.signers ?? signers }),
    );
    expect(readdirSync(parent)).toEqual([]);
    return error;
  };

  it('a genuine set to a public key restores with the archive signer and verifies', async () => {
    const { target, set } = await genuineSet();
    expect(set.signer).toBe(signers[0]);
    expect(signers[0]).toMatch(/^slipvault-signer1[02-9ac-hj-np-z]{58}$/);
    const restored = await restoreBackup(target, join(tempDir(), 'restored'), identities, { signers });
    const copy = await openArchive(restored.path, { actor: 'auditor' });
    try {
      expect((await copy.check()).ok).toBe(true);
    } finally {
      copy.close();
    }
    const report = await verifyBackups(archive, { target, identities, restoreCheck: true });
    expect(report.sets.map((verified) => verified.setId)).toEqual([set.setId]);
    expect(report.restoreChecked).toBe(true);
  });

  it('refuses a set forged with only the public key, on restore and on verify, naming its signer', async () => {
    const target = tempDir('slipvault-target-');
    const setId = forgeSet(target, { recipient: keys.recipient, archiveId: archive.status().archiveId });
    const forgedSigner = listSets(target)[0]!.signer!;
    const expected = `Backup set ${setId} is signed by ${forgedSigner}, not by ${signers[0]}: it was not made by the archive it claims`;

    const restoreError = await refusedRestore(target);
    expect(restoreError.code).toBe('CORRUPT_FILE');
    expect(restoreError.message).toContain(expected);

    const verifyError = await refusalFrom(() => verifyBackups(archive, { target, identities, restoreCheck: false }));
    expect(verifyError.code).toBe('CORRUPT_FILE');
    expect(verifyError.message).toContain(expected);

    // Without a signer to trust, a set to public keys is not restored at all.
    const unanchored = await refusedRestore(target, { signers: [] });
    expect(unanchored.code).toBe('WRONG_KEY');
    expect(unanchored.message).toContain(`Backup set ${setId} is encrypted to age public keys, which anyone can encrypt to`);
    expect(unanchored.message).toContain('no signer to trust was given');
  });

  onSqliteOnly('refuses a signer that is not one, before touching anything', async () => {
    const { target } = await genuineSet();
    const parent = tempDir('slipvault-parent-');
    for (const signer of [keys.recipient, signers[0]!.slice(0, -1) + (signers[0]!.endsWith('q') ? 'p' : 'q'), signers[0]!.toUpperCase()]) {
      const error = await refusalFrom(() => restoreBackup(target, join(parent, 'R'), identities, { signers: [signer] }));
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toBe(`"${signer}" is not a SlipVault backup signer (slipvault-signer1…).`);
    }
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a set whose manifest or catalog was altered after it was signed', async () => {
    const { target, set } = await genuineSet();
    const recipients = [parseRecipient(keys.recipient)];
    rewriteSet(target, set, identities, recipients, (entries) => {
      const manifest = entries.find((entry) => entry.name === MANIFEST_ENTRY)!;
      const fields = JSON.parse(manifest.data.toString('utf8')) as { documents: number };
      manifest.data = Buffer.from(JSON.stringify({ ...fields, documents: fields.documents + 1 }));
    });
    const altered = `Backup set ${set.setId} is damaged or was tampered with: its signature does not match its manifest and catalog`;
    expect((await refusedRestore(target)).message).toContain(altered);
    expect((await refusalFrom(() => verifyBackups(archive, { target, identities, restoreCheck: false }))).message).toContain(altered);

    const second = await genuineSet();
    const catalogPath = join(second.target, second.set.setId, CATALOG_FILE);
    const catalog = JSON.parse(readFileSync(catalogPath, 'utf8')) as Catalog;
    writeFileSync(catalogPath, JSON.stringify({ ...catalog, createdAt: '2020-01-01T00:00:00.000Z' }));
    expect((await refusedRestore(second.target)).message).toContain(
      `Backup set ${second.set.setId} is damaged or was tampered with: its signature does not match`,
    );
  });

  onSqliteOnly('sets written before sets were signed: refused when made to public keys, restored when a passphrase opens them', async () => {
    const target = tempDir('slipvault-target-');
    const setId = forgeSet(target, { recipient: keys.recipient, unsigned: true });
    const old = await refusedRestore(target);
    expect(old.code).toBe('UNSUPPORTED_FILE');
    expect(old.message).toContain(`Backup set ${setId} was written by an earlier SlipVault, before sets were signed, and is encrypted to age public keys`);

    // A passphrase set as the earlier SlipVault wrote it: no signer, no signature.
    const passphraseTarget = tempDir('slipvault-target-');
    await createBackup(archive, { target: passphraseTarget, recipients: [{ kind: 'scrypt', passphrase: PASSPHRASE }] });
    const set = listSets(passphraseTarget)[0]!;
    const passphrase: AgeIdentity[] = [{ kind: 'scrypt', passphrase: PASSPHRASE }];
    rewriteSet(
      passphraseTarget,
      set,
      passphrase,
      [{ kind: 'scrypt', passphrase: PASSPHRASE, workFactor: 10 }],
      (entries) => {
        const manifest = entries.find((entry) => entry.name === MANIFEST_ENTRY)!;
        manifest.data = Buffer.from(JSON.stringify({ ...(JSON.parse(manifest.data.toString('utf8')) as object), format: UNSIGNED_FORMAT }));
      },
      ({ signer: _signer, signature: _signature, ...catalog }) => ({ ...catalog, format: UNSIGNED_FORMAT }),
    );
    expect(listSets(passphraseTarget)[0]!.format).toBe(UNSIGNED_FORMAT);
    const restored = await restoreBackup(passphraseTarget, join(tempDir(), 'restored'), passphrase);
    expect(restored.setId).toBe(set.setId);
  });

  onSqliteOnly('refuses a passphrase set whose header asks for scrypt work factor 22, before running scrypt', async () => {
    const target = tempDir('slipvault-target-');
    await createBackup(archive, { target, recipients: [{ kind: 'scrypt', passphrase: PASSPHRASE }] });
    const set = listSets(target)[0]!;
    const volume = join(target, set.setId, set.volumes[0]!.file);
    const bytes = readFileSync(volume);
    const header = bytes.subarray(0, bytes.indexOf('\n---'));
    const stanza = /-> scrypt \S+ (18)\n/.exec(header.toString('latin1'))!;
    bytes.write('22', stanza.index + stanza[0].length - 3, 'latin1');
    writeFileSync(volume, bytes);

    const started = performance.now();
    const error = await refusedRestore(target, { identities: [{ kind: 'scrypt', passphrase: PASSPHRASE }], signers: [] });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toContain(
      'the age header of volume-001.age is refused (The age header asks for scrypt work factor 22 (4096 MiB of memory); at most 20 (1024 MiB) is accepted.)',
    );
  });
});
