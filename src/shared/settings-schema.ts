/**
 * Validation of settings changes and document types (zod), apart from settings.ts so that what only needs
 * the keys and types (the command line, the renderer) does not load zod.
 */
import { z } from 'zod';
import { SCAN_SOURCES } from './model';
import { MAX_PATTERN_LENGTH, RESOLUTIONS } from './settings';

const languageCode = z.string().trim().regex(/^[a-z][a-z_]{1,11}$/, 'a language is a tesseract code such as eng or chi_sim');

export const settingsChanges = z
  .object({
    ocrLanguages: z
      .array(languageCode)
      .min(1, 'choose at least one OCR language')
      .max(10)
      .refine((codes) => new Set(codes).size === codes.length, 'each OCR language only once'),
    slipNumberPatterns: z.array(z.string().min(1, 'a slip-number pattern cannot be empty').max(MAX_PATTERN_LENGTH)).max(50),
    reviewConfidenceThreshold: z.number().min(0, 'the review threshold is 0–100').max(100, 'the review threshold is 0–100'),
    hotFolderPath: z.union([z.string().trim().min(1).max(4096), z.null()]),
    scannerDefaults: z
      .object({
        device: z.union([z.string().trim().min(1).max(300), z.null()]),
        source: z.enum(SCAN_SOURCES, { message: 'the scanner source is ADF or Flatbed' }),
        duplex: z.boolean(),
        resolution: z
          .number()
          .int()
          .refine((dpi) => (RESOLUTIONS as readonly number[]).includes(dpi), `the resolution is one of ${RESOLUTIONS.join(', ')} dpi`),
      })
      .strict(),
    idleLockMinutes: z.number().int().min(1, 'the idle lock is 1–240 minutes').max(240, 'the idle lock is 1–240 minutes'),
  })
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one setting must be changed');

export type SettingsChanges = z.output<typeof settingsChanges>;

export const documentTypeInput = z
  .object({
    code: z.string().trim().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a type code is lower-case letters, digits, _ or -, starting with a letter'),
    nameZh: z.string().trim().min(1, 'a document type needs a Chinese name').max(60),
    nameEn: z.string().trim().min(1, 'a document type needs an English name').max(60),
    keywords: z.array(z.string().trim().min(1, 'a keyword cannot be empty').max(60)).max(100),
  })
  .strict();
