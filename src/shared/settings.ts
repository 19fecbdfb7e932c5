/**
 * Archive settings (stored per archive, changed through `settings:update`) and the checks both sides run
 * on them: the UI shows a slip-number pattern's problem while the clerk types, the core refuses it.
 */
import type { ScanSource } from './model';

export interface ScannerDefaults {
  /** A SANE device name; null = the first scanner found. */
  device: string | null;
  source: ScanSource;
  duplex: boolean;
  resolution: number;
}

export interface ArchiveSettings {
  /** Tesseract language codes, each an installed @tesseract.js-data package. */
  ocrLanguages: string[];
  /** Regular expressions (JavaScript syntax) a slip number matches. */
  slipNumberPatterns: string[];
  /** Pages whose mean word confidence (0–100) is below this go to the review list. */
  reviewConfidenceThreshold: number;
  hotFolderPath: string | null;
  scannerDefaults: ScannerDefaults;
  /** A window (and its session) locks after this many minutes without input. */
  idleLockMinutes: number;
}

export const SETTING_KEYS = ['ocrLanguages', 'slipNumberPatterns', 'reviewConfidenceThreshold', 'hotFolderPath', 'scannerDefaults', 'idleLockMinutes'] as const;
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
  | { kind: 'syntax'; detail: string }
  | { kind: 'too-long' }
  | { kind: 'matches-empty' }
  | { kind: 'backreference' }
  | { kind: 'nested-quantifier' };

/** Whether a quantifier starting at `pattern[index]` can repeat its atom more than once. */
function repeatsAt(pattern: string, index: number): boolean {
  const char = pattern[index];
  if (char === '+' || char === '*') return true;
  if (char !== '{') return false;
  const bounds = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
  if (!bounds) return false;
  if (bounds[2] === undefined) return Number(bounds[1]) > 1;
  return bounds[3] === '' || Number(bounds[3]) > 1;
}

/**
 * Slip patterns run over every OCR'd line, so a pattern must not be able to hang the queue: a group that
 * repeats and contains a repetition itself ((a+)+, (\d*-?)*) can take exponential time on a line that
 * almost matches, and so can backreferences. Both are refused, as is a pattern matching the empty string.
 */
export function slipPatternProblem(pattern: string): PatternProblem | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return { kind: 'too-long' };
  let compiled: RegExp;
  try {
    // Compiled as extraction compiles it (no flags besides g), so what passes here also runs there.
    compiled = new RegExp(pattern);
  } catch (error) {
    return { kind: 'syntax', detail: (error as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  if (compiled.test('')) return { kind: 'matches-empty' };
  const groups: boolean[] = [];
  let innerRepeat = false;
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (char === '\\') {
      if (!inClass && /[1-9k]/.test(pattern[index + 1] ?? '')) return { kind: 'backreference' };
      index += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') {
      groups.push(innerRepeat);
      innerRepeat = false;
    } else if (char === ')') {
      const groupRepeats = innerRepeat;
      innerRepeat = groups.pop() ?? false;
      if (repeatsAt(pattern, index + 1)) {
        if (groupRepeats) return { kind: 'nested-quantifier' };
        innerRepeat = true;
      } else if (groupRepeats) innerRepeat = true;
    } else if (repeatsAt(pattern, index)) innerRepeat = true;
  }
  return null;
}

export function describePatternProblem(pattern: string, problem: PatternProblem): string {
  switch (problem.kind) {
    case 'syntax':
      return `"${pattern}" is not a valid regular expression (${problem.detail}).`;
    case 'too-long':
      return `a slip-number pattern can be at most ${MAX_PATTERN_LENGTH} characters long.`;
    case 'matches-empty':
      return `"${pattern}" matches an empty text, so it would find a slip number everywhere; make it require characters, e.g. DN-\\d{6}.`;
    case 'backreference':
      return `"${pattern}" uses a backreference (\\1, \\k<…>), which can make matching very slow; write the repeated part out.`;
    case 'nested-quantifier':
      return `"${pattern}" repeats a group that itself repeats (like (a+)+), which can make matching hang; use a single repetition.`;
  }
}
