/**
 * What exporting and verifying a proof package return (src/main/core/proof; docs/proof-package.md), in
 * src/shared so the contract can name them as outputs.
 */

/** A point of the audit chain: an event's seq and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ProofExportResult {
  path: string;
  packageId: string;
  /** Archive numbers, in the order exported. */
  documents: string[];
  /** Distinct original files in the package. */
  files: number;
  /** Audit events in the package's chain, its own proof.export event included. */
  events: number;
  /** The proof.export event: the head the package's chain ends at. */
  head: ChainHead;
  bytes: number;
  /** SHA-256 of the whole package file. */
  sha256: string;
}

export interface ProofProblem {
  /** The package member the problem was found in; null for the ZIP file as a whole. */
  member: string | null;
  message: string;
}

export interface ProofVerification {
  ok: boolean;
  path: string;
  packageId: string | null;
  archiveId: string | null;
  exportedBy: string | null;
  exportedAt: string | null;
  documents: { archiveNo: string; versions: number; files: number }[];
  /** Audit events in the package's chain. */
  events: number;
  /** The chain head the package ends at, as recomputed (null when the chain could not be read). */
  head: ChainHead | null;
  /** The id of the archive key that signed the head (checked when ok), or null for a package without a signed head. */
  signedBy: string | null;
  members: number;
  problems: ProofProblem[];
}
