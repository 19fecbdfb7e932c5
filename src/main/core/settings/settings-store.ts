/**
 * The archive's settings (table archive_settings, one JSON value per key). A key never set reads as its
 * built-in default. Every change is validated beyond the contract's shape (installed languages, safe
 * patterns) and written together with an audit event carrying the old and new values.
 */
import { DEFAULT_BACKUP_SCHEDULE } from '../../../shared/backup-schedule';
import { SlipVaultError } from '../../../shared/errors';
import { fieldIssues } from '../../../shared/messages';
import { describePatternProblem, slipPatternProblem, SETTING_KEYS, type ArchiveSettings, type SettingKey } from '../../../shared/settings';
import { settingsChanges, type SettingsChanges } from '../../../shared/settings-schema';
import type { AuditLog } from '../audit/audit-log';
import { recipientsFrom } from '../backup/keys';
import type { Connection } from '../db/connection';
import { archiveSettings } from '../db/schema';
import { DEFAULT_SLIP_PATTERNS } from '../extract/slip-numbers';
import { REVIEW_CONFIDENCE } from '../ingest/inbox';
import { fastModelFile } from '../ocr/fast-models';
import { DEFAULT_LANGUAGES } from '../ocr/language-data';
import { installedLanguages } from './installed-languages';
import { inTransaction } from '../db/transaction';

export const DEFAULT_SETTINGS: ArchiveSettings = {
  ocrLanguages: DEFAULT_LANGUAGES.split('+'),
  slipNumberPatterns: [...DEFAULT_SLIP_PATTERNS],
  reviewConfidenceThreshold: REVIEW_CONFIDENCE,
  hotFolderPath: null,
  scannerDefaults: { device: null, source: 'Flatbed', duplex: false, resolution: 300 },
  idleLockMinutes: 10,
  backupSchedule: DEFAULT_BACKUP_SCHEDULE,
  ocrEngine: 'auto',
  ocrModel: 'accurate',
};

export interface SettingsStoreDeps {
  connection: Connection;
  audit: AuditLog;
  now: () => string;
  /** Runs inside the update's transaction after the new values are stored (e.g. refresh suggestions). */
  onChanged: (changed: SettingKey[]) => void;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isSettingKey = (key: string): key is SettingKey => (SETTING_KEYS as readonly string[]).includes(key);

export class SettingsStore {
  constructor(private readonly deps: SettingsStoreDeps) {}

  get(): ArchiveSettings {
    const settings: ArchiveSettings = structuredClone(DEFAULT_SETTINGS);
    for (const row of this.deps.connection.db.select().from(archiveSettings).all()) {
      if (!isSettingKey(row.key)) continue;
      // A value this version cannot read (written by hand, or by an older rule) falls back to the default.
      const parsed = settingsChanges.safeParse({ [row.key]: parseJson(row.value) });
      if (parsed.success) Object.assign(settings, parsed.data);
    }
    return settings;
  }

  private validate(changes: SettingsChanges): void {
    if (changes.ocrLanguages) {
      const installed = installedLanguages();
      const missing = changes.ocrLanguages.filter((code) => !installed.includes(code));
      if (missing.length > 0) {
        throw new SlipVaultError(
          'VALIDATION',
          `OCR language ${missing.join(', ')} is not installed; installed: ${installed.join(', ') || 'none'} (npm packages @tesseract.js-data/<code>).`,
          { setting: 'ocrLanguages', missing, installed },
        ).withMessage('settings.ocrLanguageMissing', { languages: missing.join(', ') });
      }
    }
    if (changes.ocrModel === 'fast' || changes.ocrLanguages) {
      const { ocrModel, ocrLanguages } = { ...this.get(), ...changes };
      // The fast models cover fewer languages: refuse a pair the OCR pool could not load.
      if (ocrModel === 'fast') ocrLanguages.forEach((language) => fastModelFile(language));
    }
    const schedule = changes.backupSchedule;
    // The shape was checked by the schema; an age key's checksum only by parsing it, as a backup would.
    if (schedule && schedule.recipients.length > 0) recipientsFrom({ recipients: schedule.recipients });
    changes.slipNumberPatterns?.forEach((pattern, index) => {
      const problem = slipPatternProblem(pattern);
      if (problem) {
        throw new SlipVaultError('VALIDATION', `Slip-number pattern ${index + 1}: ${describePatternProblem(pattern, problem)}`, {
          setting: 'slipNumberPatterns',
          index,
          pattern,
          problem: problem.kind,
        }).withMessage('settings.badPattern', { number: index + 1, pattern });
      }
    });
  }

  /** Stores the changed keys; returns all settings after the change. */
  update(input: unknown): ArchiveSettings {
    const parsed = settingsChanges.safeParse(input);
    if (!parsed.success) {
      throw new SlipVaultError('VALIDATION', parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message].filter(Boolean).join(': ')).join('; '))
        .withMessage('settings.invalid')
        .withIssues(fieldIssues(parsed.error.issues));
    }
    const changes = parsed.data;
    this.validate(changes);
    const { connection, audit, now } = this.deps;
    return inTransaction(connection.sqlite, () => {
      const before = this.get();
      const changed = (Object.keys(changes) as SettingKey[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(changes[key]));
      if (changed.length === 0) return before;
      const updatedAt = now();
      for (const key of changed) {
        const value = JSON.stringify(changes[key]);
        connection.db
          .insert(archiveSettings)
          .values({ key, value, updatedAt })
          .onConflictDoUpdate({ target: archiveSettings.key, set: { value, updatedAt } })
          .run();
      }
      audit.append({
        action: 'settings.update',
        targetType: 'settings',
        details: {
          old: Object.fromEntries(changed.map((key) => [key, before[key]])),
          new: Object.fromEntries(changed.map((key) => [key, changes[key]])),
        },
      });
      this.deps.onChanged(changed);
      return this.get();
    });
  }
}
