/**
 * The disposal certificate (销毁清册): what was destroyed, under which retention rule, after how long, with
 * the SHA-256 of every file removed, who requested and who approved it, where the paper originals are for
 * physical destruction, and which backup sets still hold the files. Its own SHA-256 goes into the audit
 * chain with the approval. Chinese text is drawn with a CJK font when the system has one, and printed as
 * \uXXXX escapes for exactness (proof/certificate.ts).
 */
import type { DisposalBackupHolder, DisposalDecision } from '../../../shared/model';
import { loadPdfLib } from '../lazy/pdf-lib';
import { certificateFonts, Layout } from '../proof/certificate';
import { cjkTextPainter, type TextPainter } from '../proof/text-image';
import type { DocumentBlob } from './document-blobs';

export interface CertificateItem {
  archiveNo: string;
  title: string;
  customer: string | null;
  typeCode: string | null;
  decision: DisposalDecision;
  extendUntil: string | null;
  years: number;
  startEvent: string;
  startDate: string;
  dueDate: string;
  elapsed: { years: number; days: number };
  /** Where the paper original is kept, when the archive records it. */
  location: string | null;
  blobs: DocumentBlob[];
}

export interface DisposalCertificateFacts {
  batchId: number;
  archiveId: string;
  asOf: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  approvedBy: string;
  approvedAt: string;
  items: CertificateItem[];
  backupHolders: DisposalBackupHolder[];
  backupTargetsUnchecked: string[];
}

export async function disposalCertificatePdf(facts: DisposalCertificateFacts, painter: TextPainter | null = cjkTextPainter()): Promise<Uint8Array> {
  const pdf = await (await loadPdfLib()).PDFDocument.create();
  const approvedAt = new Date(facts.approvedAt);
  pdf.setTitle(`SlipVault disposal certificate, batch ${facts.batchId}`);
  pdf.setProducer('SlipVault');
  pdf.setCreator('SlipVault');
  pdf.setCreationDate(approvedAt);
  pdf.setModificationDate(approvedAt);
  const layout = new Layout(pdf, await certificateFonts(pdf), painter);
  const disposed = facts.items.filter((item) => item.decision === 'dispose');

  await layout.line('档案销毁清册 / Disposal certificate', 'title');
  await layout.line(`Batch ${facts.batchId} of archive ${facts.archiveId}, due as of ${facts.asOf}.`);
  await layout.line(`Requested by ${facts.requestedBy} at ${facts.requestedAt} (UTC). Reason: ${facts.reason}`);
  await layout.line(`Approved by ${facts.approvedBy} at ${facts.approvedAt} (UTC): two different administrators (separation of duties).`);
  await layout.line(`${disposed.length} document(s) disposed of: their files are removed from the archive; metadata, hashes and history are kept.`);

  for (const item of disposed) {
    layout.gap();
    await layout.line(`${item.archiveNo}  ${item.title}`, 'heading');
    await layout.line(`Customer: ${item.customer ?? '-'}   Type: ${item.typeCode ?? '-'}`);
    await layout.line(`Retention: ${item.years} years from ${item.startEvent} (${item.startDate}), due ${item.dueDate}.`);
    await layout.line(`Elapsed at disposal: ${item.elapsed.years} years ${item.elapsed.days} days.`);
    await layout.line(`Paper original: ${item.location ?? 'no location recorded in the archive'}`);
    for (const blob of item.blobs) await layout.line(`${blob.hash}  ${blob.kind}`, 'mono');
  }

  const others = facts.items.filter((item) => item.decision !== 'dispose');
  if (others.length > 0) {
    layout.gap();
    await layout.line('Reviewed and not disposed of', 'heading');
    for (const item of others) {
      await layout.line(
        item.decision === 'extend' ? `${item.archiveNo}  kept until ${item.extendUntil}` : `${item.archiveNo}  kept (due again ${item.dueDate})`,
      );
    }
  }

  layout.gap();
  await layout.line('Paper originals to destroy', 'heading');
  for (const item of disposed) await layout.line(`${item.archiveNo}: ${item.location ?? 'no location recorded'}`);

  layout.gap();
  await layout.line('Backup sets that still hold these files', 'heading');
  if (facts.backupHolders.length === 0) await layout.line('None of the backup sets checked holds them.');
  for (const holder of facts.backupHolders) {
    await layout.line(`${holder.setId} (made ${holder.createdAt}) in ${holder.target}: ${holder.files} file(s)`);
  }
  if (facts.backupHolders.length > 0) {
    await layout.line(
      'Each keeps them until it is removed: make a full backup (slipvault backup --full), then slipvault prune-backups --keep 1 removes the older sets. Later backups leave these files out.',
    );
  }
  for (const target of facts.backupTargetsUnchecked) await layout.line(`Not checked (not reachable now): ${target}`);

  // 会计档案管理办法 第十七条: the people overseeing the destruction check the list and sign it on paper.
  layout.gap();
  await layout.line('监销人签名 / Destruction witnessed by (name, date, signature)', 'heading');
  for (let line = 0; line < 3; line += 1) await layout.line('______________________________________________');
  return pdf.save();
}
