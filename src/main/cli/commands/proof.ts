/**
 * Proof packages (以备查证): `proof export DOC... --out FILE` writes one file an outsider can check;
 * `proof verify FILE` checks one without the archive it came from (exit 0 when it holds, 1 when not).
 */
import { resolve } from 'node:path';
import type { ProofExportResult, ProofVerification } from '../../../shared/proof';
import { verifyProofPackage } from '../../core/proof/verify';
import { CliFailure, EXIT_FAILED, EXIT_USAGE, type CommandModule } from '../context';

export function formatExport(result: ProofExportResult): string {
  return [
    `Wrote ${result.path}`,
    `  package ${result.packageId}: ${result.documents.join(', ')}`,
    `  ${result.files} original file(s), ${result.events} audit event(s), ${result.bytes} bytes`,
    `  audit head: event ${result.head.seq} ${result.head.hash}`,
    `  package SHA-256: ${result.sha256}`,
  ].join('\n');
}

export function formatVerification(report: ProofVerification): string {
  const lines: string[] = [];
  if (report.packageId !== null) {
    lines.push(`Package ${report.packageId} of archive ${report.archiveId}, exported by ${report.exportedBy} at ${report.exportedAt}`);
    for (const document of report.documents) lines.push(`  ${document.archiveNo}: ${document.versions} version(s), ${document.files} original file(s)`);
    lines.push(`  ${report.members} member(s), ${report.events} audit event(s)${report.head ? `, head: event ${report.head.seq} ${report.head.hash}` : ''}`);
    if (report.signedBy) lines.push(`  head signed with the archive's anchor key ${report.signedBy}`);
  }
  if (report.ok) {
    lines.push('VERIFIED: every file matches its SHA-256, the audit chain recomputes to the head above, and every version is in it.');
    lines.push("Compare the head with the one on the certificate or in the archive's audit trail.");
  } else {
    lines.push(`NOT VERIFIED: ${report.problems.length} problem(s):`);
    for (const problem of report.problems) lines.push(`  - ${problem.message}`);
  }
  return lines.join('\n');
}

export const registerProofCommands: CommandModule = (program, context) => {
  const proof = program.command('proof').description('proof packages: export documents with their history and audit trail, verify a package');
  proof
    .command('export <doc...>')
    .description('write the documents, their versions, audit events and a certificate into one ZIP file')
    .requiredOption('--out <file>', 'the package file to create (must not exist)')
    .action(async (documents: string[], options: { out: string }) => {
      const result = await context.call('proof export', 'proof:export', { documents, out: resolve(options.out) });
      context.emit(result, formatExport(result));
    });
  proof
    .command('verify <file>')
    .description('check a proof package: hashes, the audit chain up to its head, every version recorded')
    .option('--head <sha256>', 'the head hash known from elsewhere (the printed certificate, the archive); it must match')
    // No archive and no login: whoever received the package checks it, usually without an account.
    .action((file: string, options: { head?: string }) => {
      if (options.head !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.head)) {
        throw new CliFailure({ code: 'VALIDATION', message: `--head must be a SHA-256 of 64 hex digits, not "${options.head}".` }, EXIT_USAGE);
      }
      const report = verifyProofPackage(resolve(file), options.head === undefined ? {} : { expectedHead: options.head });
      context.emit(report, formatVerification(report));
      if (!report.ok) context.fail(EXIT_FAILED);
    });
};
