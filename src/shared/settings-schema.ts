/**
 * Validation of settings changes and document types (zod), apart from settings.ts so that what only needs
 * the keys and types (the command line, the renderer) does not load zod.
 */
import { z } from 'zod';
import { BACKUP_FREQUENCIES, isAbsoluteFolder, SCHEDULE_TIME } from './backup-schedule';
import { FILING_FIELDS, SCAN_SOURCES } from './model';
import { MAX_PATTERN_LENGTH, OCR_ENGINE_CHOICES, OCR_MODELS, RESOLUTIONS } from './settings';

const languageCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z_]{1,11}$/, 'a language is a tesseract code such as eng or chi_sim');

/** A volume label as Windows, macOS and Linux desktops show it; no quotes or separators, so it names one mount point. */
const driveLabel = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,31}$/u, 'a drive label is up to 32 letters, digits, spaces, dots, dashes or underscores');
/** A folder on the drive, relative to its root: never absolute, never `..`. */
const folderOnDrive = z
  .string()
  .trim()
  .max(255)
  .regex(/^(?![\\/])(?!.*(^|[\\/])\.\.([\\/]|$))[^:*?"<>|\p{Cc}]*$/u, 'the folder on the drive is relative to its root, e.g. SlipVault/backups, without ..');

const scheduledTarget = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('folder'),
      path: z.string().trim().min(1).max(4096).refine(isAbsoluteFolder, 'the backup folder is a full path, e.g. /mnt/backup or E:\\SlipVault'),
    })
    .strict(),
  z.object({ kind: z.literal('drive'), label: driveLabel, folder: folderOnDrive }).strict(),
]);

const backupSchedule = z
  .object({
    enabled: z.boolean(),
    frequency: z.enum(BACKUP_FREQUENCIES, { message: 'a backup schedule is daily or weekly' }),
    weekday: z.number().int().min(0, 'the weekday is 0 (Sunday) to 6 (Saturday)').max(6, 'the weekday is 0 (Sunday) to 6 (Saturday)'),
    time: z.string().regex(SCHEDULE_TIME, 'the backup time is HH:MM, from 00:00 to 23:59'),
    target: z.union([scheduledTarget, z.null()]),
    mode: z.enum(['passphrase', 'recipients'], { message: 'a scheduled backup is encrypted to a passphrase or to recipients' }),
    recipients: z
      .array(
        z
          .string()
          .trim()
          .regex(/^age1[02-9ac-hj-np-z]+$/, 'a recipient is an age public key (age1…)'),
      )
      .max(20),
  })
  .strict()
  .refine((schedule) => !schedule.enabled || schedule.target !== null, {
    message: 'a backup schedule that is on needs a target folder or drive label',
    path: ['target'],
  })
  .refine((schedule) => !schedule.enabled || schedule.mode !== 'recipients' || schedule.recipients.length > 0, {
    message: 'a backup schedule to recipients needs at least one age public key',
    path: ['recipients'],
  });

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
    backupSchedule,
    ocrEngine: z.enum(OCR_ENGINE_CHOICES, { message: `the OCR engine is one of ${OCR_ENGINE_CHOICES.join(', ')}` }),
    ocrModel: z.enum(OCR_MODELS, { message: `the OCR model is ${OCR_MODELS.join(' or ')}` }),
  })
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one setting must be changed');

export type SettingsChanges = z.output<typeof settingsChanges>;

export const documentTypeInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a type code is lower-case letters, digits, _ or -, starting with a letter'),
    nameZh: z.string().trim().min(1, 'a document type needs a Chinese name').max(60),
    nameEn: z.string().trim().min(1, 'a document type needs an English name').max(60),
    keywords: z.array(z.string().trim().min(1, 'a keyword cannot be empty').max(60)).max(100),
    /** Omitted: the type keeps the fields it requires (none for a new type). */
    requiredFields: z
      .array(z.enum(FILING_FIELDS, { message: `a required field is one of ${FILING_FIELDS.join(', ')}` }))
      .max(FILING_FIELDS.length)
      .optional(),
  })
  .strict();
