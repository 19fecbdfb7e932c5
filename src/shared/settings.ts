/**
 * Archive settings (stored per archive, changed through `settings:update`) and the checks both sides run
 * on them: the UI shows a slip-number pattern's problem while the clerk types, the core refuses it.
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';
import type { BackupSchedule } from './backup-schedule';
import type { ScanSource } from './model';

export interface ScannerDefaults {
  /** A SANE device name; null = the first scanner found. */
  device: string | null;
  source: ScanSource;
  duplex: boolean;
  resolution: number;
}

/**
 * Which tesseract models read the pages: 'accurate' the @tesseract.js-data best_int models (the default),
 * 'fast' the smaller tessdata_fast models shipped in assets/tessdata-fast (eng and chi_sim only; docs/ocr.md).
 */
export const OCR_MODELS = ['accurate', 'fast'] as const;
export type OcrModel = (typeof OCR_MODELS)[number];

export interface ArchiveSettings {
  /** Tesseract language codes, each an installed @tesseract.js-data package. */
  ocrLanguages: string[];
  /** Regular expressions (RE2 syntax) a slip number matches. */
  slipNumberPatterns: string[];
  /** Pages whose mean word confidence (0–100) is below this go to the review list. */
  reviewConfidenceThreshold: number;
  hotFolderPath: string | null;
  scannerDefaults: ScannerDefaults;
  /** A window (and its session) locks after this many minutes without input. */
  idleLockMinutes: number;
  /** When the archive's owner backs it up by itself (src/shared/backup-schedule.ts). */
  backupSchedule: BackupSchedule;
  /** Which engine reads page images (docs/ocr-engines.md). */
  ocrEngine: OcrEngineChoice;
  /** The OCR model set (OCR_MODELS). */
  ocrModel: OcrModel;
}

/**
 * `auto`: PP-OCR for Chinese pages when the OCR languages include chi_sim, tesseract.js for the rest;
 * `tesseract` or `paddle`: that engine for every page.
 */
export const OCR_ENGINE_CHOICES = ['auto', 'tesseract', 'paddle'] as const;
export type OcrEngineChoice = (typeof OCR_ENGINE_CHOICES)[number];

export const SETTING_KEYS = [
  'ocrLanguages',
  'slipNumberPatterns',
  'reviewConfidenceThreshold',
  'hotFolderPath',
  'scannerDefaults',
  'idleLockMinutes',
  'backupSchedule',
  'ocrEngine',
  'ocrModel',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** What `settings:get` returns: the values, the built-in defaults and what the installation offers. */
export interface SettingsView {
  settings: ArchiveSettings;
  defaults: ArchiveSettings;
  installedLanguages: string[];
}

/** A page that needs a clerk's look: OCR confidence below the archive's threshold, or OCR failed. */
export interface ReviewPage {
  documentId: number;
  archiveNo: string;
  title: string;
  pageId: number;
  position: number;
  reason: 'low-confidence' | 'failed';
  confidence: number | null;
  error: string | null;
}

export const MAX_PATTERN_LENGTH = 200;
export const RESOLUTIONS = [75, 100, 150, 200, 300, 400, 600, 1200] as const;

export type PatternProblem =
  { kind: 'syntax'; detail: string } | { kind: 'too-long' } | { kind: 'matches-empty' } | { kind: 'backreference' } | { kind: 'lookaround' };

/**
 * Slip patterns run over every OCR'd line, so they run on RE2 (re2js: pure JavaScript, no Node or DOM, so
 * the UI checks with the same engine the core matches with): matching takes time linear in the line
 * whatever the pattern, where a backtracking engine can take seconds on `(\d|\d)*X` or `(a+)+$` over a
 * line that almost matches. Throws RE2JSSyntaxException for what RE2 does not accept.
 */
export function compileSlipPattern(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

/** What RE2 refused, named where RE2 refuses a feature on purpose rather than a typo. */
function syntaxProblem(error: unknown): PatternProblem {
  if (!(error instanceof RE2JSSyntaxException)) throw error;
  const at = error.input ?? '';
  if (/^\\[1-9k]/.test(at)) return { kind: 'backreference' };
  if (/^\(\?<?[=!]/.test(at)) return { kind: 'lookaround' };
  return { kind: 'syntax', detail: error.message.replace(/^error parsing regexp: /, '') };
}

/** A pattern is stored only when RE2 compiles it, it is not too long and it cannot match empty text. */
export function slipPatternProblem(pattern: string): PatternProblem | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return { kind: 'too-long' };
  let compiled: RE2JS;
  try {
    compiled = compileSlipPattern(pattern);
  } catch (error) {
    return syntaxProblem(error);
  }
  return compiled.test('') ? { kind: 'matches-empty' } : null;
}

export function describePatternProblem(pattern: string, problem: PatternProblem): string {
  switch (problem.kind) {
    case 'syntax':
      return `"${pattern}" is not a valid regular expression in RE2 syntax (${problem.detail}).`;
    case 'too-long':
      return `a slip-number pattern can be at most ${MAX_PATTERN_LENGTH} characters long.`;
    case 'matches-empty':
      return `"${pattern}" matches an empty text, so it would find a slip number everywhere; make it require characters, e.g. DN-\\d{6}.`;
    case 'backreference':
      return `"${pattern}" uses a backreference (\\1, \\k<…>), which patterns cannot use (they run on RE2, in time linear in the line); write the repeated part out.`;
    case 'lookaround':
      return `"${pattern}" uses a lookahead or lookbehind ((?=…), (?!…), (?<=…), (?<!…)), which patterns cannot use (they run on RE2, in time linear in the line); match the surrounding text instead, e.g. with \\b.`;
  }
}
