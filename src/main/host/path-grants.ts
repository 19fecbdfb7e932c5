/**
 * Which places on disk a renderer may name in a contract call. A page can be driven by whoever holds it
 * (a script injected into the window, anyone with the preview's token), so a path it sends is used only
 * when the user chose it outside the page: in Electron a file from a drop or file chooser (the preload asks
 * Electron for its disk path and grants it) or a folder the user confirmed in a native dialog; in the
 * preview host an upload's returned path, or a folder under a root given on the preview's command line.
 * The CLI does not come through here: its user typed the path.
 *
 * `refusedPath` is the one check, run by a host right before a call is dispatched (`guardPaths`).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { contract, type CallResult, type Method, type ParsedInputOf } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import type { CallHandler } from './transport';

/** How a call uses a path: a file it reads, or a folder it reads, writes or watches. */
export type PathUse = 'file' | 'folder';

/** What the call does with the path, for messages and for the shell's confirmation dialog. */
export type PathRole = 'import' | 'backup-target' | 'restore-into' | 'hot-folder' | 'proof-folder' | 'proof-package' | 'export-folder';

export interface NamedPath {
  path: string;
  use: PathUse;
  role: PathRole;
}

const files = (paths: string[]): NamedPath[] => paths.map((path) => ({ path, use: 'file', role: 'import' }));
const folder = (path: string, role: PathRole): NamedPath => ({ path, use: 'folder', role });

/** Every field of every contract call that names a place on disk; a new such field needs a line here. */
const PATH_FIELDS: { [M in Method]?: (input: ParsedInputOf<M>) => NamedPath[] } = {
  'documents:import': (input) => files(input.paths),
  'pages:add': (input) => files(input.paths),
  'backup:create': (input) => [folder(input.target, 'backup-target')],
  'backup:verify': (input) => [folder(input.target, 'backup-target')],
  'backup:list': (input) => [folder(input.target, 'backup-target')],
  'backup:prune': (input) => [folder(input.target, 'backup-target')],
  'backup:restore': (input) => [folder(input.target, 'backup-target'), folder(input.into, 'restore-into')],
  'hotFolder:watch': (input) => [folder(input.path, 'hot-folder')],
  // A stored hot folder is watched again whenever the archive opens.
  'settings:update': ({ changes }) => [
    ...(changes.hotFolderPath ? [folder(changes.hotFolderPath, 'hot-folder')] : []),
    ...(changes.backupSchedule?.target?.kind === 'folder' ? [folder(changes.backupSchedule.target.path, 'backup-target')] : []),
  ],
  // A proof package is written into a folder the user chose; one to verify is a file they handed over.
  'proof:export': (input) => [folder(dirname(resolve(input.out)), 'proof-folder')],
  'proof:verify': (input) => [{ path: input.path, use: 'file', role: 'proof-package' }],
  // Retention (docs/retention.md): backup folders searched for disposed files; a certificate is written like a proof package.
  'disposal:approve': (input) => (input.backupTargets ?? []).map((target) => folder(target, 'backup-target')),
  'disposal:certificate': (input) => [folder(dirname(resolve(input.out)), 'proof-folder')],
  // issue 18: customer files, specimen images, verification attachments, box labels
  'customers:import': (input) => files([input.path]),
  'customers:export': (input) => [folder(dirname(resolve(input.path)), 'export-folder')],
  'signers:save': (input) => files([...(input.signatureImage ? [input.signatureImage] : []), ...(input.sealImage ? [input.sealImage] : [])]),
  'authorizations:save': (input) => files(input.verificationAttachments ?? []),
  'locations:boxLabel': (input) => [folder(dirname(resolve(input.out)), 'export-folder')],
  // The slip ledger reads an ERP export the user handed over.
  'ledger:importPreview': (input) => files([input.path]),
  'ledger:import': (input) => files([input.path]),
  // issue 19 item 7: the Backup screen's test restore reads a backup folder (its temporary folder is the core's own).
  'backup:testRestore': (input) => [folder(input.target, 'backup-target')],
  // issue 20 item 5: a move to PostgreSQL writes the archive's files into a folder.
  'archive:moveToPostgres': (input) => [folder(input.filesDir, 'export-folder')],
};

/**
 * The paths a call names, read from its input as the core will see it (parsed by the contract's schema,
 * so trimming and defaults apply). An input the schema refuses names none: the core refuses it anyway.
 */
export function namedPaths(method: Method, input: unknown): NamedPath[] {
  const fields = PATH_FIELDS[method] as ((parsed: unknown) => NamedPath[]) | undefined;
  if (!fields) return [];
  const parsed = contract[method].input.safeParse(input);
  return parsed.success ? fields(parsed.data) : [];
}

/**
 * The path with every symbolic link resolved, so a link inside a granted folder cannot lead out of it.
 * Only the part that exists can be resolved (a backup target or restore folder may not exist yet).
 */
export function canonicalPath(path: string): string {
  const absolute = resolve(path);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...missing.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return absolute;
      missing.push(basename(existing));
      existing = parent;
    }
  }
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The places one renderer (a window, a preview host's token) was given: files by exact path, folders with
 * everything under them. Paths are compared after resolving symbolic links.
 */
export class PathGrants {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  grantFile(path: string): void {
    this.files.add(canonicalPath(path));
  }

  revokeFile(path: string): void {
    this.files.delete(canonicalPath(path));
  }

  grantFolder(path: string): void {
    this.folders.add(canonicalPath(path));
  }

  allows(path: string, use: PathUse): boolean {
    if (!isAbsolute(path)) return false;
    const canonical = canonicalPath(path);
    if (use === 'file' && this.files.has(canonical)) return true;
    return use === 'folder' && [...this.folders].some((root) => inside(canonical, root));
  }
}

const ROLE_NAMES: Record<PathRole, string> = {
  import: 'file to import',
  'backup-target': 'backup folder',
  'restore-into': 'folder to restore into',
  'hot-folder': 'hot folder',
  'proof-folder': 'folder for the proof package',
  'proof-package': 'proof package to verify',
  'export-folder': 'folder for the exported file',
};

/** The first path of the call the grants do not cover, or null when the call names none or all are granted. */
export function ungrantedPath(method: Method, input: unknown, grants: PathGrants): NamedPath | null {
  return namedPaths(method, input).find((named) => !grants.allows(named.path, named.use)) ?? null;
}

function refusal(method: Method, named: NamedPath): SlipVaultError {
  const how =
    named.use === 'file'
      ? 'drop the file on the window or choose it with the file chooser'
      : 'choose the folder when SlipVault asks (in the browser preview: a folder under one given with --folder-root)';
  return new SlipVaultError('FORBIDDEN', `${named.path} was not chosen by the user as the ${ROLE_NAMES[named.role]}, so ${method} may not use it; ${how}.`, {
    method,
    path: named.path,
    use: named.use,
    reason: 'path-not-chosen',
  }).withMessage('paths.notChosen', { path: named.path });
}

/** The refusal of a call naming a path the user did not choose, or null when it may go ahead. */
export function refusedPath(method: Method, input: unknown, grants: PathGrants): SlipVaultError | null {
  const named = ungrantedPath(method, input, grants);
  return named ? refusal(method, named) : null;
}

export interface GuardOptions {
  /**
   * Asks the user, outside the page, whether a folder the page named may be used; true grants it. Only the
   * Electron shell has such a dialog; without it an ungranted folder is refused.
   */
  confirmFolder?: (named: NamedPath, method: Method) => Promise<boolean>;
}

/**
 * The handler table behind the path check: a call naming a path the grants do not cover is answered with
 * the refusal and never reaches the core. The host wraps its handler with this right before dispatch.
 */
export function guardPaths(handler: CallHandler, grants: PathGrants, options: GuardOptions = {}): CallHandler {
  return {
    async invoke(method, input) {
      // The transport has already refused names that are not contract methods.
      const typed = method as Method;
      let named = ungrantedPath(typed, input, grants);
      while (named?.use === 'folder' && options.confirmFolder && (await options.confirmFolder(named, typed))) {
        grants.grantFolder(named.path);
        named = ungrantedPath(typed, input, grants);
      }
      if (named) return { ok: false, error: refusal(typed, named).toPayload() } satisfies CallResult<Method>;
      return handler.invoke(method, input);
    },
  };
}
