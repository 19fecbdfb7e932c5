/**
 * The blobs the records of issue 18 refer to — signers' specimen signatures and seals, authorizations'
 * identity-verification attachments — must be present and whole, like originals (`check`).
 */
import type { CheckProblem } from '../../../shared/model';
import type { Connection } from '../db/connection';
import { authorizations, signers } from '../db/schema';
import type { BlobStore } from '../store/blobs';

export async function recordBlobProblems(connection: Connection, blobs: BlobStore): Promise<CheckProblem[]> {
  const { db } = connection;
  const referenced: { hash: string; what: string }[] = [];
  for (const signer of db.select().from(signers).all()) {
    if (signer.signatureBlob) referenced.push({ hash: signer.signatureBlob, what: `the specimen signature of signer ${signer.name}` });
    if (signer.sealBlob) referenced.push({ hash: signer.sealBlob, what: `the specimen seal of signer ${signer.name}` });
  }
  for (const authorization of db.select().from(authorizations).all()) {
    for (const hash of authorization.verificationAttachments) referenced.push({ hash, what: `an attachment of authorization ${authorization.id}` });
  }
  const problems: CheckProblem[] = [];
  for (const { hash, what } of referenced) {
    const state = await blobs.verify(hash);
    if (state === 'ok') continue;
    problems.push({
      kind: state === 'missing' ? 'blob-missing' : 'blob-corrupt',
      message: `${what} (blob ${hash.slice(0, 12)}…) is ${state === 'missing' ? 'missing' : 'damaged: its content no longer matches its SHA-256'}`,
      documents: [],
      blobHash: hash,
    });
  }
  return problems;
}
