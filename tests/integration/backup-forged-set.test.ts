/**
 * `slipvault restore` against sets forged with only the recipient's public key, as anyone holding it can
 * make them: a manifest that names the database file `../../x` or an absolute path must not make the
 * restore write outside its folder. Each is refused with a message naming the bad path, and the folders
 * around the restore are left exactly as they were.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../../src/main/core/backup/age';
import { ensureCliBuilt, slipvault } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { forgeSet } from '../helpers/forge-set';

/** Every path under `root`, folders included, relative to it. */
function tree(root: string, sub = ''): string[] {
  return readdirSync(join(root, sub), { withFileTypes: true }).flatMap((entry) => {
    const path = join(sub, entry.name);
    return entry.isDirectory() ? [`${path}/`, ...tree(root, path)] : [path];
  });
}

describe('restore of a forged set (CLI)', () => {
  beforeAll(() => ensureCliBuilt());

  const cases = [
    // From the staging folder beside R, `../../x` is <root>/x.
    { label: 'a relative path climbing out', databasePath: () => '../../x' },
    { label: 'an absolute path', databasePath: (root: string) => join(root, 'absolute-x') },
  ];

  it.each(cases)('writes nothing outside R for $label, and says why', ({ databasePath }) => {
    const root = tempDir('slipvault-forged-');
    const into = join(root, 'restores', 'R');
    mkdirSync(into, { recursive: true });
    const keys = generateIdentity();
    const keyFile = join(tempDir('slipvault-key-'), 'key.txt');
    writeFileSync(keyFile, `${keys.identity}\n`);
    const target = tempDir('slipvault-target-');
    const path = databasePath(root);
    forgeSet(target, { recipient: keys.recipient, databasePath: path });
    const before = tree(root);
    const targetBefore = tree(target);

    const run = slipvault(['restore', '--from', target, '--into', into, '--identity', keyFile]);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`its manifest names the database file ${JSON.stringify(path)}, where a backup set always holds slipvault.db`);
    expect(tree(root)).toEqual(before);
    expect(readdirSync(into)).toEqual([]);
    expect(tree(target)).toEqual(targetBefore);
  });

  it('refuses a symbolic link in a set that a passphrase opens, writing nothing', () => {
    const root = tempDir('slipvault-forged-');
    const into = join(root, 'R');
    mkdirSync(into);
    const target = tempDir('slipvault-target-');
    const passphrase = 'lantern copper 47 river';
    const setId = forgeSet(target, { recipient: { passphrase }, databaseSymlinkTo: join(root, 'elsewhere') });
    const before = tree(root);

    const run = slipvault(['restore', '--from', target, '--into', into], { SLIPVAULT_BACKUP_PASSPHRASE: passphrase });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Backup set ${setId} is damaged or was tampered with: a tar header is damaged or of an unexpected kind`);
    expect(tree(root)).toEqual(before);
  });
});
