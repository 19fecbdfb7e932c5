/**
 * Tesseract language data comes only from the @tesseract.js-data npm packages (docs/architecture.md, "Offline always"): without
 * an explicit langPath tesseract.js downloads from a CDN. tesseract.js reads every language from one
 * folder, while each package keeps its file in its own folder, so a private folder of symlinks joins them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { OcrModel } from '../../../shared/settings';
import { unpackedPath } from '../runtime-paths';
import { fastModelFile } from './fast-models';

export const DEFAULT_LANGUAGES = 'chi_sim+eng';
/** LSTM-only integer models: a tenth of the size of the legacy+LSTM data and what OEM 1 runs. */
const MODEL_FOLDER = '4.0.0_best_int';

const requireFromHere = createRequire(import.meta.url);

export function parseLanguages(spec: string): string[] {
  const languages = spec
    .split('+')
    .map((code) => code.trim())
    .filter(Boolean);
  if (languages.length === 0 || languages.some((code) => !/^[a-z_]{3,12}$/.test(code))) {
    throw new SlipVaultError('VALIDATION', `"${spec}" is not a language list; write tesseract codes joined by +, e.g. chi_sim+eng.`).withMessage(
      'ocr.badLanguageList',
      { spec },
    );
  }
  return languages;
}

/** The model file of one language: the accurate one inside its @tesseract.js-data package, or the fast one in assets/. */
export function languageDataFile(language: string, model: OcrModel = 'accurate'): string {
  if (model === 'fast') return fastModelFile(language);
  let packageJson: string;
  try {
    packageJson = requireFromHere.resolve(`@tesseract.js-data/${language}/package.json`);
  } catch {
    throw new SlipVaultError('VALIDATION', `OCR language "${language}" is not installed (npm package @tesseract.js-data/${language}).`, {
      language,
    }).withMessage('ocr.languageMissing', { language });
  }
  const file = join(dirname(packageJson), MODEL_FOLDER, `${language}.traineddata.gz`);
  if (!existsSync(file))
    throw new SlipVaultError('INTERNAL', `OCR language data ${file} is missing from its package.`, { language }).withMessage('ocr.languageDataMissing', {
      language,
    });
  return file;
}

/**
 * A folder holding `<lang>.traineddata.gz` for each language, pointing into node_modules. The OS follows
 * these links, not Electron's asar-aware fs, so in the packaged app they point into app.asar.unpacked
 * (electron-builder.yml unpacks @tesseract.js-data and assets/tessdata-fast for this). The folder's name
 * hashes the files it links, so the two models never share one.
 */
export function languageDataFolder(languages: string[], model: OcrModel = 'accurate'): string {
  const files = languages.map((language) => ({ language, file: unpackedPath(languageDataFile(language, model)) }));
  const key = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
  const folder = join(tmpdir(), `slipvault-tessdata-${key}`);
  if (existsSync(folder)) return folder;
  const staging = `${folder}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  for (const { language, file } of files) symlinkSync(file, join(staging, `${language}.traineddata.gz`));
  try {
    renameSync(staging, folder);
  } catch {
    // Another process made the same folder first; its links are identical.
    rmSync(staging, { recursive: true, force: true });
  }
  return folder;
}
