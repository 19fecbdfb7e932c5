/**
 * The one guard every restored file passes: a name taken from a backup set becomes a path only when it is
 * a plain relative path (forward slashes; segments of letters, digits, '.', '_' and '-' that do not start
 * with a dot, so no '.', '..' or hidden names; no backslash, no drive, not absolute) and the path resolves
 * inside the folder being restored into.
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function pathInside(root: string, name: string): string {
  const folder = resolve(root);
  const plain = !isAbsolute(name) && name.split('/').every((segment) => SEGMENT.test(segment));
  const path = resolve(folder, name);
  if (!plain || !path.startsWith(folder + sep)) {
    throw new SlipVaultError(
      'CORRUPT_FILE',
      `Refused to write "${name}" while restoring into ${folder}: a restored file must be a plain relative path inside that folder. Nothing was restored.`,
      { file: name },
    ).withMessage('backup.unsafePath', { file: name });
  }
  return path;
}
