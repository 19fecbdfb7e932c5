/** The rest of a clerk's day on the command line: unvoid, edit-many and export-pdf (issue 19). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputOf } from '../../../shared/contract';
import { toErrorPayload } from '../../core/error-payload';
import { CliFailure, EXIT_FAILED, EXIT_USAGE, type CommandModule } from '../context';
import { parseSetArguments } from '../set-args';

export const registerClerkDayCommands: CommandModule = (program, context) => {
  program
    .command('unvoid <doc>')
    .description('take a void back: the document returns to the status it had before, as a new version')
    .requiredOption('--reason <text>', 'why the void is taken back')
    .action(async (doc: string, options: { reason: string }) => {
      const detail = await context.call('unvoid', 'documents:unvoid', { ref: doc, reason: options.reason });
      context.emit(detail, `${detail.archiveNo} is no longer void: ${detail.status} (version ${detail.currentVersion}).`);
    });

  program
    .command('edit-many <docs...>')
    .description('set the same fields on several documents, each as a version of its own; refusals are listed per document')
    .requiredOption('--set <field=value...>', 'e.g. --set customer=华南贸易 type=delivery_receipt')
    .option('--reason <text>', 'why the change was made')
    .action(async (docs: string[], options: { set: string[]; reason?: string }) => {
      let changes: Record<string, unknown>;
      try {
        changes = parseSetArguments(options.set);
      } catch (error) {
        throw new CliFailure(toErrorPayload(error), EXIT_USAGE);
      }
      const result = await context.call('edit-many', 'documents:editMany', {
        refs: docs,
        changes: changes as InputOf<'documents:editMany'>['changes'],
        ...(options.reason ? { reason: options.reason } : {}),
      });
      const lines = result.outcomes.map((outcome) =>
        outcome.ok ? `edited   ${outcome.archiveNo}  version ${outcome.version}` : `refused  ${outcome.archiveNo ?? outcome.ref}  ${outcome.message}`,
      );
      context.emit(result, [...lines, `${result.edited} edited, ${result.failed} refused`].join('\n'));
      if (result.failed > 0) context.fail(EXIT_FAILED);
    });

  program
    .command('export-pdf <doc>')
    .description('write the document as one PDF: a cover page with its details, then its pages')
    .requiredOption('--out <file>', 'the PDF file to write')
    .action(async (doc: string, options: { out: string }) => {
      const pdf = await context.call('export-pdf', 'documents:exportPdf', { ref: doc, purpose: 'export' });
      const out = resolve(options.out);
      writeFileSync(out, Buffer.from(pdf.pdfBase64, 'base64'));
      context.emit({ archiveNo: pdf.archiveNo, path: out, pageCount: pdf.pageCount }, `${pdf.archiveNo}: ${pdf.pageCount} page(s) written to ${out}.`);
    });
};
