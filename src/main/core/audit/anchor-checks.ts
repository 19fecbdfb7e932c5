/**
 * What `check` and `verify-backup` say about the heads recorded outside an archive: anchor lines that are
 * not validly signed, anchors another archive id recorded for the same database file, heads in backup
 * catalogs, and the first point where the live chain leaves any of them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../db/connection';
import { anchorFilePath, readAnchorFile } from './anchor-file';
import { readAnchorKey, type AnchorKey } from './anchor-key';
import { chainDivergence, describeDivergence, type RecordedHead } from './chain-divergence';
import { isSignedHead, recordSignatureValid, type Anchor } from './signed-head';

/** archive_meta key under which an anchor key's public half is registered. */
export const ANCHOR_KEY_META_PREFIX = 'audit_anchor_key:';

export interface AnchorProblem {
  /** The first audit event affected, when there is one. */
  seq: number | null;
  message: string;
  targetType: string | null;
  targetId: string | null;
}

/** A head recorded elsewhere (a backup set's catalog, as found: unchecked), named for messages. */
export interface ForeignHead {
  source: string;
  head: unknown;
}

/** One archive's database and the anchor folder that holds its heads. */
export interface AnchorScope {
  connection: Connection;
  folder: string;
  archiveId: string;
  /** The database file's real path: anchors name the file they were recorded for. */
  database: string;
}

function problem(message: string, seq: number | null = null): AnchorProblem {
  return { seq, message, targetType: null, targetId: null };
}

/** Bad lines of the anchor file, anchors of other archive ids for this database, and the first divergence. */
export function checkAnchors(scope: AnchorScope): AnchorProblem[] {
  const problems: AnchorProblem[] = [];
  const heads = recordedHeads(scope, (message) => problems.push(problem(message)));
  problems.push(...divergenceProblems(scope.connection, heads), ...otherArchivesHere(scope));
  return problems;
}

/**
 * Heads carried by backup catalogs: those not validly signed, and where the live chain first leaves them —
 * named exactly with this folder's anchors, else bounded between the heads.
 */
export function checkForeignHeads(scope: AnchorScope, foreign: ForeignHead[]): AnchorProblem[] {
  const problems: AnchorProblem[] = [];
  const heads: RecordedHead[] = [];
  for (const { source, head } of foreign) {
    if (head === undefined) continue;
    if (!isSignedHead(head)) {
      problems.push(problem(`${source} carries an audit chain head that is not well-formed`));
      continue;
    }
    if (head.archiveId !== scope.archiveId) {
      problems.push(problem(`${source} carries the audit chain head of another archive (${head.archiveId})`));
      continue;
    }
    const publicKey = publicKeyFor(scope, head.keyId);
    if (!publicKey) problems.push(problem(`${source} carries an audit chain head signed by a key this archive does not know (${head.keyId})`));
    else if (!recordSignatureValid(head, publicKey)) problems.push(problem(`${source} carries an audit chain head whose signature is invalid`));
    else heads.push({ seq: head.seq, hash: head.hash, source });
  }
  if (heads.length === 0 || !chainDivergence(scope.connection, heads)) return problems;
  try {
    heads.push(...recordedHeads(scope, () => undefined));
  } catch {
    // Without the anchor folder the bound between the heads is what can be said.
  }
  problems.push(...divergenceProblems(scope.connection, heads));
  return problems;
}

function divergenceProblems(connection: Connection, heads: RecordedHead[]): AnchorProblem[] {
  const divergence = chainDivergence(connection, heads);
  if (!divergence) return [];
  return [
    {
      seq: divergence.seq,
      message: describeDivergence(divergence),
      targetType: divergence.event?.targetType ?? null,
      targetId: divergence.event?.targetId ?? null,
    },
  ];
}

/** This database's validly signed anchors as heads to compare with; bad lines go to `note`. */
function recordedHeads(scope: AnchorScope, note: (message: string) => void): RecordedHead[] {
  const file = readAnchorFile(scope.folder, scope.archiveId, readAnchorKey(scope.folder, scope.archiveId));
  const path = anchorFilePath(scope.folder, scope.archiveId);
  for (const bad of file.problems) note(`Anchor line ${bad.line} of ${path} ${bad.message}`);
  return file.anchors
    .filter((anchor) => anchor.database === scope.database)
    .map((anchor) => ({
      seq: anchor.seq,
      hash: anchor.hash,
      from: anchor.from,
      digests: anchor.digests,
      source: `the anchor of ${anchor.at} (${anchor.reason})`,
    }));
}

/**
 * Anchors another archive id recorded for this very database file. A database whose `archive_id` was
 * rewritten would otherwise look like a new archive that nothing was recorded for.
 */
function otherArchivesHere(scope: AnchorScope): AnchorProblem[] {
  const problems: AnchorProblem[] = [];
  if (!existsSync(scope.folder)) return problems;
  for (const name of readdirSync(scope.folder)) {
    const otherId = /^(.+)\.jsonl$/.exec(name)?.[1];
    if (otherId === undefined || otherId === scope.archiveId) continue;
    let newest: Anchor | undefined;
    try {
      // Most files are about other databases entirely: only those naming this one are parsed and verified.
      if (!readFileSync(join(scope.folder, name), 'utf8').includes(JSON.stringify(scope.database))) continue;
      newest = readAnchorFile(scope.folder, otherId, readAnchorKey(scope.folder, otherId))
        .anchors.filter((anchor) => anchor.database === scope.database)
        .at(-1);
    } catch {
      continue; // not an anchor file of SlipVault's
    }
    if (!newest) continue;
    problems.push(
      problem(
        `The anchor folder holds anchors of archive ${otherId} for this database file (the newest of ${newest.at}, up to audit event ${newest.seq.toLocaleString('en-US')}), ` +
          `but the database now names itself archive ${scope.archiveId}: its archive id was changed, or another archive replaced it ` +
          `(if it was replaced on purpose, move ${name} out of ${scope.folder})`,
      ),
    );
  }
  return problems;
}

/** The public key (base64 DER) with this id: the anchor folder's, else the one registered in the archive. */
function publicKeyFor(scope: AnchorScope, keyId: string): string | null {
  let local: AnchorKey | null = null;
  try {
    local = readAnchorKey(scope.folder, scope.archiveId);
  } catch {
    // An unreadable local key leaves the registered one.
  }
  if (local?.keyId === keyId) return local.publicKey;
  return (
    (scope.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(`${ANCHOR_KEY_META_PREFIX}${keyId}`) as string | undefined) ??
    null
  );
}
