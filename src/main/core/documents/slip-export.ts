/** documents:exportPdf: the slip as a PDF, recorded as a print or an export of that version before it is handed out. */
import { readFileSync } from 'node:fs';
import type { SlipPdf } from '../../../shared/model';
import type { Archive } from '../archive';
import { actingUser } from '../accounts/acting-user';
import { buildSlipPdf } from './slip-pdf';

export const SLIP_PDF_ACTIONS = { print: 'document.print', export: 'document.export' } as const;

export async function exportSlipPdf(archive: Archive, ref: string | number, purpose: keyof typeof SLIP_PDF_ACTIONS): Promise<SlipPdf> {
  const detail = archive.documents.get(ref);
  const pdf = await buildSlipPdf({
    detail,
    types: archive.documentTypes(),
    readBlob: (hash) => readFileSync(archive.blobs.pathOf(hash)),
    exportedBy: actingUser() ?? archive.status().actor,
    exportedAt: new Date().toISOString(),
  });
  // Recorded before it is handed out: a PDF whose export could not be audited is not given.
  archive.audit.append({
    action: SLIP_PDF_ACTIONS[purpose],
    targetType: 'document',
    targetId: detail.archiveNo,
    details: { version: detail.currentVersion, pages: detail.pages.length },
  });
  return pdf;
}
