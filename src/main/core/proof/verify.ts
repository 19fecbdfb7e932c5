/**
 * Checks a proof package without the archive it came from: every member against SHA256SUMS and the
 * manifest, the audit chain link by link up to the recorded head (the export's own event), every member
 * the export event names against its recorded SHA-256, and every version of every document against an
 * event of that chain. Each problem names the member it was found in.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { SlipVaultError } from '../../../shared/errors';
import type { AuditEvent } from '../../../shared/model';
import type { ProofProblem, ProofVerification } from '../../../shared/proof';
import { sha256 } from '../store/blobs';
import { CERTIFICATE_MEMBER, EXPORT_ACTION, MANIFEST_MEMBER, SUMS_MEMBER, eventHash, originalMember, type ProofManifest } from './layout';
import { eventSchema, exportDetailsSchema, filesSchema, manifestSchema, schemaProblem, versionsSchema } from './package-schemas';
import { readZip } from './zip';
import { keyIdOf } from '../audit/anchor-key';
import { recordSignatureValid } from '../audit/signed-head';

/** The package's members and the problems found so far. */
class PackageCheck {
  readonly problems: ProofProblem[] = [];
  readonly members = new Map<string, Buffer>();
  /** Members present whose bytes could not be read (CRC mismatch, unknown compression). */
  readonly unreadable = new Set<string>();
  private readonly missing = new Set<string>();

  problem(member: string | null, message: string): void {
    this.problems.push({ member, message });
  }

  /** The member's bytes; the first lookup of a missing one reports it as `missing` says. */
  bytes(member: string, missing: string): Buffer | null {
    const data = this.members.get(member);
    if (data === undefined && !this.unreadable.has(member) && !this.missing.has(member)) {
      this.missing.add(member);
      this.problem(member, missing);
    }
    return data ?? null;
  }

  /** The member parsed as JSON and checked against `schema`, or null (reported). */
  json<S extends z.ZodType>(member: string, schema: S, what: string): z.infer<S> | null {
    const data = this.bytes(member, `${member} (${what}) is missing from the package`);
    if (data === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      this.problem(member, `${member} is not valid JSON`);
      return null;
    }
    const wrong = schemaProblem(schema, value);
    if (wrong !== null) {
      this.problem(member, `${member} is not a valid ${what}: ${wrong}`);
      return null;
    }
    return value as z.infer<S>;
  }
}

function checkSums(check: PackageCheck): void {
  const data = check.bytes(SUMS_MEMBER, `${SUMS_MEMBER} is missing from the package`);
  if (data === null) return;
  const listed = new Set<string>();
  data
    .toString('utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line === '') return;
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!match) {
        check.problem(SUMS_MEMBER, `${SUMS_MEMBER} line ${index + 1} is not "SHA-256  path"`);
        return;
      }
      const [, digest, path] = match as unknown as [string, string, string];
      listed.add(path);
      const bytes = check.bytes(path, `${SUMS_MEMBER} lists ${path}, which is not in the package`);
      if (bytes !== null && sha256(bytes) !== digest) check.problem(path, `${path} does not match its SHA-256 in ${SUMS_MEMBER}`);
    });
  for (const member of check.members.keys()) {
    if (member !== SUMS_MEMBER && !listed.has(member)) check.problem(member, `${member} is in the package but not listed in ${SUMS_MEMBER}`);
  }
}

function checkManifestMembers(check: PackageCheck, manifest: ProofManifest): void {
  const described = new Set<string>();
  for (const { path, sha256: digest, size } of manifest.members) {
    described.add(path);
    const bytes = check.bytes(path, `${MANIFEST_MEMBER} lists ${path}, which is not in the package`);
    if (bytes !== null && (sha256(bytes) !== digest || bytes.length !== size)) {
      check.problem(path, `${path} does not match its SHA-256 and size in ${MANIFEST_MEMBER}`);
    }
  }
  for (const member of check.members.keys()) {
    if (member !== SUMS_MEMBER && member !== MANIFEST_MEMBER && !described.has(member)) {
      check.problem(member, `${member} is in the package but not described in ${MANIFEST_MEMBER}`);
    }
  }
}

/** Parses the events and walks the chain; returns the events that could be read. */
function checkChain(check: PackageCheck, manifest: ProofManifest): AuditEvent[] {
  const member = manifest.auditTrail.member;
  const data = check.bytes(member, `${member} (the audit trail) is missing from the package`);
  if (data === null) return [];
  const events: AuditEvent[] = [];
  for (const [index, line] of data.toString('utf8').split('\n').entries()) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      check.problem(member, `${member} line ${index + 1} is not valid JSON`);
      continue;
    }
    const wrong = schemaProblem(eventSchema, value);
    if (wrong === null) events.push(value as AuditEvent);
    else check.problem(member, `${member} line ${index + 1} is not an audit event: ${wrong}`);
  }
  let previous: AuditEvent | undefined;
  for (const event of events) {
    if (previous !== undefined && event.seq !== previous.seq + 1) {
      check.problem(member, `audit event ${previous.seq + 1} is missing from the chain (event ${event.seq} follows event ${previous.seq})`);
    } else if (previous !== undefined && event.prevHash !== previous.hash) {
      check.problem(member, `audit event ${event.seq} does not link to the event before it`);
    }
    if (eventHash(event.prevHash, event) !== event.hash) {
      check.problem(member, `audit event ${event.seq} (${event.action}) was altered: its hash does not match its content`);
    }
    previous = event;
  }
  const first = events[0];
  const last = events.at(-1);
  const { fromSeq, head } = manifest.auditTrail;
  if (first === undefined || last === undefined) {
    check.problem(member, `${member} holds no audit events`);
  } else {
    if (first.seq !== fromSeq) check.problem(member, `the chain starts at event ${first.seq}, but ${MANIFEST_MEMBER} says ${fromSeq}`);
    if (last.seq !== head.seq || last.hash !== head.hash) {
      check.problem(member, `the chain ends at event ${last.seq} (${last.hash}), not at the head ${MANIFEST_MEMBER} records (event ${head.seq}, ${head.hash})`);
    }
  }
  return events;
}

/** The last event must be this package's export, naming exactly the members it contains. */
function checkExportEvent(check: PackageCheck, manifest: ProofManifest, events: AuditEvent[]): void {
  const last = events.at(-1);
  if (last === undefined) return;
  const where = manifest.auditTrail.member;
  if (last.action !== EXPORT_ACTION) {
    check.problem(where, `the chain's last event ${last.seq} is ${last.action}, not the ${EXPORT_ACTION} event of this package`);
    return;
  }
  const wrong = schemaProblem(exportDetailsSchema, last.details);
  if (wrong !== null) {
    check.problem(where, `the ${EXPORT_ACTION} event ${last.seq} has unreadable details: ${wrong}`);
    return;
  }
  const details = exportDetailsSchema.parse(last.details);
  const claims: [string, unknown, unknown][] = [
    ['package id', details.packageId, manifest.packageId],
    ['archive id', details.archiveId, manifest.archive.id],
    ['exporter', last.actor, manifest.exportedBy],
    ['export time', last.at, manifest.exportedAt],
    ['documents', details.documents.join(', '), manifest.documents.map((document) => document.archiveNo).join(', ')],
    ['first event', details.fromSeq, events[0]!.seq],
  ];
  for (const [what, recorded, stated] of claims) {
    if (recorded !== stated)
      check.problem(MANIFEST_MEMBER, `${MANIFEST_MEMBER} states ${what} ${String(stated)}, but the export event records ${String(recorded)}`);
  }
  for (const [path, digest] of Object.entries(details.members)) {
    const bytes = check.bytes(path, `the export event records ${path}, which is not in the package`);
    if (bytes !== null && sha256(bytes) !== digest) check.problem(path, `${path} is not the file the export event recorded (SHA-256 differs)`);
  }
  const unrecorded = new Set([MANIFEST_MEMBER, SUMS_MEMBER, CERTIFICATE_MEMBER, where]);
  for (const member of check.members.keys()) {
    if (!unrecorded.has(member) && details.members[member] === undefined) check.problem(member, `${member} was not recorded by the export event`);
  }
}

/** Each document's versions and originals, and an audit event in the chain for every version. */
function checkDocuments(check: PackageCheck, manifest: ProofManifest, events: AuditEvent[]): ProofVerification['documents'] {
  return manifest.documents.map((document) => {
    const { archiveNo } = document;
    const versions = check.json(document.versions, versionsSchema, 'version history');
    const files = check.json(document.files, filesSchema, 'list of original files');
    if (versions?.archiveNo !== undefined && versions.archiveNo !== archiveNo)
      check.problem(document.versions, `${document.versions} is the history of ${versions.archiveNo}, not ${archiveNo}`);
    if (files?.archiveNo !== undefined && files.archiveNo !== archiveNo)
      check.problem(document.files, `${document.files} lists the files of ${files.archiveNo}, not ${archiveNo}`);
    const hashes = new Set<string>();
    for (const file of files?.files ?? []) {
      hashes.add(file.sha256);
      if (file.member !== originalMember(file.sha256, file.mime))
        check.problem(document.files, `${archiveNo}: the original ${file.filename} is filed as ${file.member}, not under its SHA-256`);
      const bytes = check.bytes(file.member, `${archiveNo}: the original ${file.filename} (${file.member}) is missing from the package`);
      if (bytes !== null && sha256(bytes) !== file.sha256)
        check.problem(file.member, `${file.member} (${archiveNo}, ${file.filename}) does not match the SHA-256 in its name`);
    }
    const list = versions?.versions ?? [];
    list.forEach((version, index) => {
      const label = `${archiveNo} version ${version.number} (${version.action} by ${version.actor} at ${version.createdAt})`;
      if (version.number !== index + 1) check.problem(document.versions, `${archiveNo}: version ${index + 1} is missing from its history`);
      const recorded = events.some(
        (event) =>
          event.targetType === 'document' &&
          event.targetId === archiveNo &&
          event.action === `document.${version.action}` &&
          event.details.version === version.number &&
          event.actor === version.actor,
      );
      if (!recorded) check.problem(document.versions, `${label} has no audit event in the chain`);
      for (const page of version.snapshot.pages) {
        if (files !== null && !hashes.has(page.blobHash))
          check.problem(document.versions, `${label} shows a page of ${page.blobHash}, an original that is not in the package`);
      }
    });
    const current = list.at(-1);
    if (
      versions !== null &&
      (list.length !== document.currentVersion || current?.snapshot.metadata.title !== document.title || current.snapshot.metadata.status !== document.status)
    ) {
      check.problem(MANIFEST_MEMBER, `${MANIFEST_MEMBER} describes ${archiveNo} differently from its latest version in ${document.versions}`);
    }
    return { archiveNo, versions: list.length, files: files?.files.length ?? 0 };
  });
}

function readPackageFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SlipVaultError('FILE_NOT_FOUND', `${path} does not exist.`, { file: path }).withMessage('files.missing', { file: path });
    throw new SlipVaultError('FILE_UNREADABLE', `${path} cannot be read (${code === 'EISDIR' ? 'it is a folder' : (code ?? 'unknown error')}).`, {
      file: path,
    }).withMessage('files.unreadable', { file: path });
  }
}

export interface VerifyOptions {
  /**
   * The head hash as known from outside the package (the printed certificate, the archive's trail, a signed
   * anchor). Without it, verify proves the package consistent; a package rewritten as a whole, chain and
   * checksums recomputed, is only caught by comparing its head with one recorded elsewhere.
   */
  expectedHead?: string;
}

/** A signed head must be the chain's head, named by its key, and signed by that key. */
function checkSignedHead(check: PackageCheck, manifest: ProofManifest): void {
  const signed = manifest.signedHead;
  if (!signed) return;
  const { publicKey, ...head } = signed;
  const { seq, hash } = manifest.auditTrail.head;
  if (head.seq !== seq || head.hash !== hash) {
    check.problem(MANIFEST_MEMBER, `the signed head (event ${head.seq}, ${head.hash}) is not the chain's head (event ${seq}, ${hash})`);
  }
  if (head.archiveId !== manifest.archive.id) check.problem(MANIFEST_MEMBER, `the signed head names archive ${head.archiveId}, not ${manifest.archive.id}`);
  if (keyIdOf(publicKey) !== head.keyId) check.problem(MANIFEST_MEMBER, `the signed head's public key is not the key ${head.keyId} it names`);
  else if (!recordSignatureValid(head, publicKey)) check.problem(MANIFEST_MEMBER, `the signature of the signed head does not verify with key ${head.keyId}`);
}

export function verifyProofPackage(path: string, options: VerifyOptions = {}): ProofVerification {
  const zip = readPackageFile(path);
  const check = new PackageCheck();
  const report = (manifest: ProofManifest | null, events: AuditEvent[], documents: ProofVerification['documents']): ProofVerification => {
    const last = events.at(-1);
    return {
      ok: check.problems.length === 0,
      path,
      packageId: manifest?.packageId ?? null,
      archiveId: manifest?.archive.id ?? null,
      exportedBy: manifest?.exportedBy ?? null,
      exportedAt: manifest?.exportedAt ?? null,
      documents,
      events: events.length,
      head: last === undefined ? null : { seq: last.seq, hash: last.hash },
      signedBy: manifest?.signedHead?.keyId ?? null,
      members: check.members.size + check.unreadable.size,
      problems: check.problems,
    };
  };
  try {
    for (const member of readZip(zip)) {
      if (member.data === null) {
        check.unreadable.add(member.name);
        check.problem(member.name, member.damage ?? `${member.name} cannot be read`);
      } else {
        check.members.set(member.name, member.data);
      }
    }
  } catch (error) {
    if (!(error instanceof SlipVaultError)) throw error;
    check.problem(null, `${path} is not a proof package: ${error.message}`);
    return report(null, [], []);
  }
  checkSums(check);
  const manifest = check.json(MANIFEST_MEMBER, manifestSchema, 'proof package manifest') as ProofManifest | null;
  if (manifest === null) return report(null, [], []);
  checkManifestMembers(check, manifest);
  const events = checkChain(check, manifest);
  checkExportEvent(check, manifest, events);
  const documents = checkDocuments(check, manifest, events);
  checkSignedHead(check, manifest);
  const head = events.at(-1)?.hash;
  if (options.expectedHead !== undefined && head !== undefined && head !== options.expectedHead.toLowerCase()) {
    check.problem(manifest.auditTrail.member, `the chain ends at head ${head}, not at the expected head ${options.expectedHead}`);
  }
  return report(manifest, events, documents);
}
