/** Archive settings, document types and the OCR review list: config get|set, config types, review. */
import { resolve } from 'node:path';
import type { InputOf } from '../../../shared/contract';
import type { DocumentTypeRecord, FilingField } from '../../../shared/model';
import type { BackupSchedule } from '../../../shared/backup-schedule';
import { SETTING_KEYS, type ArchiveSettings, type OcrEngineChoice, type ReviewPage, type ScannerDefaults } from '../../../shared/settings';
import { CliFailure, EXIT_USAGE, parsePositiveInteger, type CommandModule } from '../context';

const SCANNER_FIELDS = ['device', 'source', 'duplex', 'resolution'] as const;
const KEYS = [...SETTING_KEYS.filter((key) => key !== 'scannerDefaults'), ...SCANNER_FIELDS.map((field) => `scannerDefaults.${field}`)];

const usage = (message: string) => new CliFailure({ code: 'VALIDATION', message }, EXIT_USAGE);

function formatValue(value: unknown): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.join('  ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function formatSettings(settings: ArchiveSettings): string {
  const { scannerDefaults, ...rest } = settings;
  const lines = Object.entries(rest).map(([key, value]) => `${key.padEnd(28)} ${formatValue(value)}`);
  for (const field of SCANNER_FIELDS) lines.push(`${`scannerDefaults.${field}`.padEnd(28)} ${formatValue(scannerDefaults[field])}`);
  return lines.join('\n');
}

function scannerValue(field: (typeof SCANNER_FIELDS)[number], value: string): ScannerDefaults[typeof field] {
  switch (field) {
    case 'device':
      return value === 'none' ? null : value;
    case 'source':
      return value as ScannerDefaults['source'];
    case 'duplex':
      if (!/^(true|false|yes|no|on|off)$/i.test(value)) throw usage(`"${value}" is not on or off.`);
      return /^(true|yes|on)$/i.test(value);
    case 'resolution':
      return parsePositiveInteger(value, 'resolution in dpi');
  }
}

/** `config set backupSchedule '{…}'`: the whole schedule as JSON (docs/scheduled-backups.md); the core checks its fields. */
function scheduleFromJson(text: string): BackupSchedule {
  try {
    return JSON.parse(text) as BackupSchedule;
  } catch {
    throw usage(
      `backupSchedule takes the schedule as JSON, e.g. '{"enabled":true,"frequency":"daily","weekday":1,"time":"18:00","target":{"kind":"folder","path":"/mnt/backup"},"mode":"passphrase","recipients":[]}'.`,
    );
  }
}

/** The settings:update changes for `config set KEY VALUE...`; scanner fields merge into the current defaults. */
function changesFor(key: string, values: string[], current: ArchiveSettings): InputOf<'settings:update'>['changes'] {
  const single = () => {
    if (values.length !== 1) throw usage(`${key} takes one value.`);
    return values[0]!;
  };
  switch (key) {
    case 'ocrLanguages':
      return {
        ocrLanguages: values
          .flatMap((value) => value.split(/[+,]/))
          .map((code) => code.trim())
          .filter(Boolean),
      };
    case 'slipNumberPatterns':
      return { slipNumberPatterns: values };
    case 'reviewConfidenceThreshold': {
      const value = single();
      if (!/^\d+(\.\d+)?$/.test(value)) throw usage(`"${value}" is not a number from 0 to 100.`);
      return { reviewConfidenceThreshold: Number(value) };
    }
    case 'hotFolderPath': {
      const value = single();
      return { hotFolderPath: value === 'none' ? null : resolve(value) };
    }
    case 'idleLockMinutes':
      return { idleLockMinutes: parsePositiveInteger(single(), 'number of minutes') };
    case 'backupSchedule':
      return { backupSchedule: scheduleFromJson(single()) };
    // The core refuses a name that is not an engine, listing the choices.
    case 'ocrEngine':
      return { ocrEngine: single() as OcrEngineChoice };
    case 'ocrModel':
      // accurate or fast: the core's schema names both when the value is neither.
      return { ocrModel: single() as ArchiveSettings['ocrModel'] };
  }
  const field = SCANNER_FIELDS.find((name) => key === `scannerDefaults.${name}`);
  if (!field) throw usage(`Unknown setting "${key}"; settings are ${KEYS.join(', ')}.`);
  return { scannerDefaults: { ...current.scannerDefaults, [field]: scannerValue(field, single()) } };
}

function formatTypes(types: DocumentTypeRecord[]): string {
  return types
    .map(
      (type) =>
        `${type.code.padEnd(20)} ${type.nameZh} / ${type.nameEn}\n${''.padEnd(21)}keywords: ${type.keywords.join(', ') || '(none)'}` +
        `\n${''.padEnd(21)}required to file: ${type.requiredFields.join(', ') || '(nothing but a type)'}`,
    )
    .join('\n');
}

function formatReview(pages: ReviewPage[]): string {
  if (pages.length === 0) return 'No page needs review.';
  return pages
    .map((page) => {
      const why = page.reason === 'failed' ? `OCR failed: ${page.error}` : `confidence ${page.confidence}`;
      return `${page.archiveNo}  page ${page.position} (id ${page.pageId})  ${why}  ${page.title}`;
    })
    .join('\n');
}

export const registerSettingsCommands: CommandModule = (program, context) => {
  const config = program.command('config').description('archive settings: OCR languages, slip-number patterns, review threshold, hot folder, scanner defaults');

  config
    .command('get [key]')
    .description(`show all settings or one (${KEYS.join(', ')})`)
    .action(async (key?: string) => {
      const view = await context.call('config get', 'settings:get', {});
      if (key === undefined) return context.emit(view, `${formatSettings(view.settings)}\n\ninstalled OCR languages: ${view.installedLanguages.join(', ')}`);
      const [top, field] = key.split('.') as [keyof ArchiveSettings, keyof ScannerDefaults | undefined];
      if (!KEYS.includes(key) && !(SETTING_KEYS as readonly string[]).includes(key)) throw usage(`Unknown setting "${key}"; settings are ${KEYS.join(', ')}.`);
      const value = field ? view.settings.scannerDefaults[field] : view.settings[top];
      context.emit(value, formatValue(value));
    });

  config
    .command('set <key> <values...>')
    .description('change a setting (audited); lists take several values, e.g. config set ocrLanguages chi_sim eng; "none" clears hotFolderPath')
    .action(async (key: string, values: string[]) => {
      const settings = await context.withArchive('config set', async ({ call }) => {
        const current = (await call('settings:get', {})).settings;
        return call('settings:update', { changes: changesFor(key, values, current) });
      });
      context.emit(settings, formatSettings(settings));
    });

  const types = config.command('types').description('document types and the keywords that suggest them');
  types
    .command('list', { isDefault: true })
    .description('list document types with their keywords')
    .action(async () => {
      const list = await context.call('config types', 'documentTypes:list', {});
      context.emit(list, formatTypes(list));
    });
  types
    .command('save <code>')
    .description('create or update a type (documents keep the type they were filed with)')
    .requiredOption('--zh <name>', 'Chinese name')
    .requiredOption('--en <name>', 'English name')
    .option('--keywords <words...>', 'words that suggest this type', [])
    .option('--required <fields...>', 'what filing needs (docs/filing-rules.md): customer signedDate slipNo amount currency signer signature')
    .option('--no-required', 'nothing but a type is required to file')
    .action(async (code: string, options: { zh: string; en: string; keywords: string[]; required?: string[] | boolean }) => {
      // Omitted: the type keeps its rule; --no-required clears it.
      const requiredFields = options.required === false ? [] : Array.isArray(options.required) ? options.required : undefined;
      const saved = await context.call('config types save', 'documentTypes:save', {
        code,
        nameZh: options.zh,
        nameEn: options.en,
        keywords: options.keywords,
        ...(requiredFields ? { requiredFields: requiredFields as FilingField[] } : {}),
      });
      context.emit(saved, `Saved ${formatTypes([saved])}`);
    });

  program
    .command('review')
    .description('pages of inbox documents whose OCR confidence is below the review threshold, or whose OCR failed')
    .option('--limit <n>', 'how many', '200')
    .action(async (options: { limit: string }) => {
      const pages = await context.call('review', 'ocr:review', { limit: parsePositiveInteger(options.limit, 'number') });
      context.emit(pages, formatReview(pages));
    });
};
