/** Ingest commands: ocr (one file, no archive), process (run the OCR queue), inbox, file. */
import { resolve } from 'node:path';
import type { InputOf } from '../../../shared/contract';
import type { JobProgress } from '../../../shared/events';
import { isErrorPayload } from '../../../shared/errors';
import type { FileOcrResult, InboxItem, QueueCounts, Suggestion } from '../../../shared/model';
import { OCR_ENGINE_CHOICES, OCR_MODELS } from '../../../shared/settings';
import { toErrorPayload } from '../../core/error-payload';
import type { HotFolderEvent } from '../../core/ingest/hot-folder';
import { DEFAULT_PAGE_SEGMENTATION } from '../../core/ocr/segmentation';
import { CliFailure, EXIT_FAILED, EXIT_USAGE, parsePositiveInteger, type CommandModule } from '../context';
import { formatDetail } from '../format';
import { parseSetArguments } from '../set-args';

function formatSuggestions(suggestions: Suggestion[]): string {
  if (suggestions.length === 0) return '  (no suggestions)';
  return suggestions.map((s) => `  ${s.field.padEnd(10)} ${s.value}  (${Math.round(s.confidence * 100)}%)`).join('\n');
}

function formatInbox(items: InboxItem[]): string {
  if (items.length === 0) return 'The inbox is empty.';
  return items
    .map((item) => {
      const head = `${item.document.archiveNo}  ${item.document.title}  OCR ${item.pagesDone}/${item.pagesTotal} pages${item.needsReview ? '  NEEDS REVIEW' : ''}`;
      const warnings = item.warnings.map((warning) => `  ! ${warning.text}`);
      const failures = item.failedPages.map((page) => `  ! page ${page.pageId}: ${page.error}`);
      return [head, formatSuggestions(item.suggestions), ...warnings, ...failures].join('\n');
    })
    .join('\n\n');
}

const formatCounts = (counts: QueueCounts) =>
  `OCR queue: ${counts.done} done, ${counts.failed} failed, ${counts.queued} queued, ${counts.preprocessing + counts.ocr} in progress.`;

/** 75 s → "1:15". */
function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** One self-overwriting terminal line: bar, pages done/total, ETA. */
export function formatOcrProgress(progress: JobProgress): string {
  const width = 30;
  const filled = Math.round((progress.total === 0 ? 1 : progress.done / progress.total) * width);
  const eta = progress.etaMs === undefined ? '' : `  ETA ${formatDuration(progress.etaMs)}`;
  return `\rOCR [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total} pages${eta}   `;
}

function formatProcessSummary(counts: QueueCounts, recognised: number, elapsedMs: number): string {
  const lines = [
    recognised === 0
      ? 'No page was waiting for OCR.'
      : `Processed ${recognised} queued page(s) in ${formatDuration(elapsedMs)} (${(elapsedMs / 1000 / recognised).toFixed(1)} s/page).`,
    formatCounts(counts),
  ];
  if (counts.failed > 0) lines.push(`${counts.failed} page(s) failed; \`slipvault inbox\` shows which and why.`);
  if (recognised > 0) lines.push('Their documents wait in the inbox: `slipvault inbox`, then `slipvault file DOC`.');
  return lines.join('\n');
}

export const registerIngestCommands: CommandModule = (program, context) => {
  program
    .command('ocr <files...>')
    .description('recognise files without an archive: text, words with boxes, filing suggestions (several files: a JSON array)')
    .option('--languages <codes>', 'tesseract languages joined by +', 'chi_sim+eng')
    .option('--workers <n>', 'OCR workers (default: one per core)')
    .option('--psm <n>', 'tesseract page segmentation mode', String(DEFAULT_PAGE_SEGMENTATION))
    .option('--engine <name>', `OCR engine: ${OCR_ENGINE_CHOICES.join(', ')} (auto: PP-OCR for Chinese pages)`, 'auto')
    .option('--model <model>', `OCR models: ${OCR_MODELS.join(' or ')}`, 'accurate')
    .action(async (files: string[], options: { languages: string; workers?: string; psm: string; engine: string; model: string }) => {
      if (!/^(\d|1[0-3])$/.test(options.psm)) {
        throw new CliFailure({ code: 'VALIDATION', message: `"${options.psm}" is not a tesseract page segmentation mode (0–13).` }, EXIT_USAGE);
      }
      const engine = OCR_ENGINE_CHOICES.find((choice) => choice === options.engine);
      if (!engine) {
        throw new CliFailure({ code: 'VALIDATION', message: `"${options.engine}" is not an OCR engine; choose ${OCR_ENGINE_CHOICES.join(', ')}.` }, EXIT_USAGE);
      }
      const model = OCR_MODELS.find((name) => name === options.model);
      if (!model) throw new CliFailure({ code: 'VALIDATION', message: `"${options.model}" is not an OCR model; use ${OCR_MODELS.join(' or ')}.` }, EXIT_USAGE);
      const [{ OcrPool }, { recogniseFile }, { extractSuggestions }] = await Promise.all([
        import('../../core/ocr/ocr-pool'),
        import('../../core/ocr/recognise-file'),
        import('../../core/extract/suggest'),
      ]);
      const pool = new OcrPool({
        languages: options.languages,
        pageSegmentation: Number(options.psm),
        engine,
        model,
        ...(options.workers ? { workers: parsePositiveInteger(options.workers, 'worker count') } : {}),
      });
      const recognise = async (file: string): Promise<FileOcrResult> => {
        const pages = await recogniseFile(pool, resolve(file));
        const text = pages.map((page) => page.text).join('\n');
        return { file, pages, suggestions: extractSuggestions(text, { customers: [], documentTypes: [] }) };
      };
      try {
        // Files in flight are bounded (each holds its decoded pages); the pool bounds OCR itself.
        const results: FileOcrResult[] = new Array(files.length);
        let next = 0;
        const lane = async () => {
          for (let index = next++; index < files.length; index = next++) results[index] = await recognise(files[index]!);
        };
        await Promise.all(Array.from({ length: pool.size * 2 }, lane));
        const human = results
          .map((result) => {
            const pages = result.pages.map(
              (page, index) => `--- ${result.file} page ${index + 1} (${page.source}, confidence ${page.confidence}) ---\n${page.text}`,
            );
            return `${pages.join('\n')}\n\nSuggestions:\n${formatSuggestions(result.suggestions)}`;
          })
          .join('\n\n');
        context.emit(results.length === 1 ? results[0] : results, human);
      } finally {
        await pool.terminate();
      }
    });

  program
    .command('process')
    .description('recognise every queued page (imports queue their pages): progress on a terminal, then a summary')
    .option('--workers <n>', 'OCR workers (default: one per core)')
    .action(async (options: { workers?: string }) => {
      const started = Date.now();
      let recognised = 0;
      const printer = process.stderr.isTTY && !context.json() ? (progress: JobProgress) => context.io.stderr(formatOcrProgress(progress)) : undefined;
      const counts: QueueCounts = await context.withArchive(
        'process',
        async ({ call, on }) => {
          const unsubscribe = on('jobs:progress', (progress) => {
            if (progress.phase !== 'ocr') return;
            recognised = progress.done;
            printer?.(progress);
          });
          try {
            return await call('ocr:process', {});
          } finally {
            unsubscribe();
          }
        },
        options.workers ? { ocrWorkers: parsePositiveInteger(options.workers, 'worker count') } : {},
      );
      if (printer && recognised > 0) context.io.stderr('\n');
      context.emit(counts, formatProcessSummary(counts, recognised, Date.now() - started));
      if (counts.failed > 0) context.fail(EXIT_FAILED);
    });

  program
    .command('inbox')
    .description('documents waiting to be filed, with OCR progress, suggestions and warnings')
    .option('--limit <n>', 'how many', '100')
    .action(async (options: { limit: string }) => {
      const items = await context.call('inbox', 'inbox:list', { limit: parsePositiveInteger(options.limit, 'number') });
      context.emit(items, formatInbox(items));
    });

  program
    .command('file <doc>')
    .description('file an inbox document: accept its best suggestions for empty fields, plus --set values')
    .option('--set <field=value...>', 'e.g. --set customer=华南贸易 amount=1200.50')
    .option('--no-accept', 'do not take suggestions, only the --set values')
    .option('--reason <text>', 'why')
    .option('--override <reason>', "file although fields the document's type requires are missing (docs/filing-rules.md)")
    .action(async (doc: string, options: { set?: string[]; accept: boolean; reason?: string; override?: string }) => {
      let changes: Record<string, unknown> | undefined;
      try {
        changes = options.set ? parseSetArguments(options.set) : undefined;
      } catch (error) {
        throw new CliFailure(toErrorPayload(error), EXIT_USAGE);
      }
      const detail = await context.call('file', 'inbox:file', {
        ref: doc,
        ...(changes ? { changes: changes as InputOf<'inbox:file'>['changes'] } : {}),
        acceptSuggestions: options.accept,
        ...(options.reason ? { reason: options.reason } : {}),
        ...(options.override !== undefined ? { filingOverride: options.override } : {}),
      });
      context.emit(detail, `${detail.archiveNo} is filed (version ${detail.currentVersion}).\n${formatDetail(detail)}`);
    });

  program
    .command('watch <folder>')
    .description('hot folder: import files once completely written, move them to done/ or failed/, OCR them')
    .option('--interval <ms>', 'how often to look', '1000')
    .option('--quiet <ms>', 'how long a file must stay unchanged before it is taken', '2000')
    .option('--once', 'wait for the files there now to settle, import them and stop')
    .action(async (folder: string, options: { interval: string; quiet: string; once?: boolean }) => {
      const interval = parsePositiveInteger(options.interval, 'number of milliseconds');
      const quiet = parsePositiveInteger(options.quiet, 'number of milliseconds');
      const handled: HotFolderEvent[] = [];
      await context.withArchive('watch', async ({ call }) => {
        const { HotFolder } = await import('../../core/ingest/hot-folder');
        const hot = new HotFolder(
          resolve(folder),
          async (path) => {
            const result = await call('documents:import', { paths: [path] });
            return result.imported.length > 0
              ? { ok: true, archiveNos: result.imported.map((imported) => imported.document.archiveNo) }
              : { ok: false, reason: result.failed[0]?.message ?? 'import failed' };
          },
          quiet,
        );
        let stop = false;
        const onSignal = () => {
          stop = true;
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const started = Date.now();
          while (!stop) {
            const events = await hot.scan();
            for (const event of events) {
              context.io.stderr(
                event.outcome.ok ? `imported ${event.file} as ${event.outcome.archiveNos.join(', ')}\n` : `failed ${event.file}: ${event.outcome.reason}\n`,
              );
            }
            handled.push(...events);
            if (events.some((event) => event.outcome.ok)) await call('ocr:process', {});
            if (options.once && Date.now() - started > quiet + interval) break;
            await new Promise((wake) => setTimeout(wake, interval));
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
      context.emit(handled, `${handled.filter((event) => event.outcome.ok).length} imported, ${handled.filter((event) => !event.outcome.ok).length} failed.`);
      if (handled.some((event) => !event.outcome.ok)) context.fail(EXIT_FAILED);
    });

  program
    .command('scanners')
    .description('list the scanners SANE can see (Linux; elsewhere scan to a hot folder)')
    .action(async () => {
      const { listScanners } = await import('../../core/ingest/sane');
      const scanners = await listScanners(context.io.env);
      context.emit(scanners, scanners.length === 0 ? 'No scanner found.' : scanners.map((s) => `${s.device}  ${s.vendor} ${s.model} (${s.type})`).join('\n'));
    });

  program
    .command('scan')
    .description('scan a batch with SANE into inbox documents (split on blank sheets and slip-number barcodes), then OCR them')
    .option('--device <name>', 'SANE device (default: the first one found)')
    .option('--source <source>', 'ADF or Flatbed', 'Flatbed')
    .option('--duplex', 'both sides (ADF only)')
    .option('--resolution <dpi>', 'dots per inch', '300')
    .option('--pages <n>', 'stop the feeder after this many pages')
    .action(async (options: { device?: string; source: string; duplex?: boolean; resolution: string; pages?: string }) => {
      const source = options.source.toUpperCase() === 'ADF' ? 'ADF' : options.source.toLowerCase() === 'flatbed' ? 'Flatbed' : null;
      if (!source) throw new CliFailure({ code: 'VALIDATION', message: `--source is ADF or Flatbed, not "${options.source}".` }, EXIT_USAGE);
      const result = await context.withArchive('scan', async ({ call }) => {
        // The contract's own scan: the same splitting, patterns and import as the app's Inbox.
        const scan = await call('scanner:scan', {
          ...(options.device ? { device: options.device } : {}),
          source,
          duplex: options.duplex === true,
          resolution: parsePositiveInteger(options.resolution, 'resolution'),
          ...(options.pages ? { pages: parsePositiveInteger(options.pages, 'page count') } : {}),
        });
        const failure = scan.import.failed[0];
        if (failure) {
          const payload = { code: failure.code, message: failure.message };
          throw new CliFailure(isErrorPayload(payload) ? payload : { code: 'INTERNAL', message: failure.message }, EXIT_FAILED);
        }
        const queue = await call('ocr:process', {});
        return { documents: scan.import.imported.map((entry) => entry.document), pages: scan.pages, queue };
      });
      context.emit(
        result,
        `Scanned ${result.pages} page(s) into ${result.documents.map((document) => document.archiveNo).join(', ')}. ${formatCounts(result.queue)}`,
      );
    });
};
