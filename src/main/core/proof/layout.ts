/**
 * What a proof package holds and where (docs/proof-package.md describes it for outsiders). Export writes
 * this layout and verify reads it, so both take the member names and the manifest's shape from here.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent, DocumentSnapshot } from '../../../shared/model';
import type { ChainHead } from '../../../shared/proof';
import { canonicalJson } from '../audit/canonical';

export const PROOF_FORMAT = 'slipvault-proof-package';
export const PROOF_FORMAT_VERSION = 1;
/** The audit action of an export; its event is the last one in the package and its head. */
export const EXPORT_ACTION = 'proof.export';

export const MANIFEST_MEMBER = 'manifest.json';
export const SUMS_MEMBER = 'SHA256SUMS';
export const CERTIFICATE_MEMBER = 'certificate.pdf';
export const EVENTS_MEMBER = 'audit/events.jsonl';
export const INSTRUCTIONS_MEMBER = 'VERIFY.txt';
export const CHAIN_SCRIPT_MEMBER = 'verify-chain.py';

export function versionsMember(archiveNo: string): string {
  return `documents/${archiveNo}/versions.json`;
}

export function filesMember(archiveNo: string): string {
  return `documents/${archiveNo}/files.json`;
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/tiff': 'tif', 'application/pdf': 'pdf', 'image/webp': 'webp' };

export function originalMember(sha256: string, mime: string): string {
  return `files/${sha256}.${EXTENSIONS[mime] ?? 'bin'}`;
}

/** An original file as imported, in documents/<archiveNo>/files.json. */
export interface PackagedFile {
  sha256: string;
  member: string;
  filename: string;
  mime: string;
  size: number;
  pageCount: number;
  importedAt: string;
}

export interface DocumentFiles {
  archiveNo: string;
  files: PackagedFile[];
}

/** One version as stored in the archive: who, when, what, why, and the full state after it. */
export interface PackagedVersion {
  number: number;
  createdAt: string;
  actor: string;
  action: string;
  reason: string | null;
  snapshot: DocumentSnapshot;
}

export interface DocumentVersions {
  archiveNo: string;
  versions: PackagedVersion[];
}

/** What the proof.export event records; every member it names is bound to the chain's head. */
export interface ExportEventDetails {
  packageId: string;
  archiveId: string;
  documents: string[];
  fromSeq: number;
  members: Record<string, string>;
}

export interface ManifestMember {
  path: string;
  sha256: string;
  size: number;
}

export interface ProofManifest {
  format: typeof PROOF_FORMAT;
  formatVersion: typeof PROOF_FORMAT_VERSION;
  packageId: string;
  archive: { id: string; createdAt: string };
  exportedBy: string;
  exportedAt: string;
  documents: { archiveNo: string; title: string; status: string; currentVersion: number; versions: string; files: string }[];
  auditTrail: { member: string; fromSeq: number; head: ChainHead; hashRule: string };
  /**
   * Reserved for the head signed with the archive's anchor key (the audit anchors' SignedHead, with the
   * public key): neither written nor checked by format version 1, whose packages prove the same things
   * with the head vouched for by the archive's own trail.
   */
  signedHead?: { archiveId: string; seq: number; hash: string; at: string; keyId: string; signature: string; publicKey: string };
  /** Every member except manifest.json and SHA256SUMS. */
  members: ManifestMember[];
}

export const HASH_RULE = 'hash = SHA-256(prevHash + canonicalJson({seq, at, actor, action, targetType, targetId, details})), UTF-8; see docs/proof-package.md';

/**
 * An event's hash under HASH_RULE. Format version 1 fixes this rule, so it is stated here rather than
 * taken from the archive's audit code: a package keeps its meaning whatever that code becomes.
 */
export function eventHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  const { seq, at, actor, action, targetType, targetId, details } = event;
  return createHash('sha256')
    .update(prevHash + canonicalJson({ seq, at, actor, action, targetType, targetId, details }), 'utf8')
    .digest('hex');
}

/** One line per member, the format `sha256sum -c` reads: 64 hex digits, two spaces, the path. */
export function sha256Sums(members: { path: string; sha256: string }[]): string {
  return members.map((member) => `${member.sha256}  ${member.path}\n`).join('');
}
