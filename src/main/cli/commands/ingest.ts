/** Ingest commands: ocr (one file, no archive). */
import { resolve } from 'node:path';
import type { FileOcrResult, Suggestion } from '../../../shared/model';
import { extractSuggestions } from '../../core/extract/suggest';
import { OcrPool } from '../../core/ocr/ocr-pool';
import { recogniseFile } from '../../core/ocr/recognise-file';
import { parsePositiveInteger, type CommandModule } from '../context';

function formatSuggestions(suggestions: Suggestion[]): string {
  if (suggestions.length === 0) return '  (no suggestions)';
  return suggestions.map((s) => `  ${s.field.padEnd(10)} ${s.value}  (${Math.round(s.confidence * 100)}%)`).join('\n');
}

export const registerIngestCommands: CommandModule = (program, context) => {
  program
    .command('ocr <file>')
    .description('recognise one file without an archive: text, words with boxes, filing suggestions')
    .option('--languages <codes>', 'tesseract languages joined by +', 'chi_sim+eng')
    .option('--workers <n>', 'OCR workers (default: one per core)')
    .action(async (file: string, options: { languages: string; workers?: string }) => {
      const pool = new OcrPool({
        languages: options.languages,
        ...(options.workers ? { workers: parsePositiveInteger(options.workers, 'worker count') } : {}),
      });
      try {
        const pages = await recogniseFile(pool, resolve(file));
        const text = pages.map((page) => page.text).join('\n\f\n');
        const result: FileOcrResult = { file, pages, suggestions: extractSuggestions(text, { customers: [], documentTypes: [] }) };
        context.emit(result, `${pages.map((page, index) => `--- page ${index + 1} (${page.source}, confidence ${page.confidence}) ---\n${page.text}`).join('\n')}\n\nSuggestions:\n${formatSuggestions(result.suggestions)}`);
      } finally {
        await pool.terminate();
      }
    });
};
