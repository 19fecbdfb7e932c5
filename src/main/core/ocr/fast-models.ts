/**
 * The optional fast OCR models: Debian's tessdata_fast files for eng and chi_sim (packages
 * tesseract-ocr-eng / tesseract-ocr-chi-sim, Apache-2.0, assets/tessdata-fast/LICENSE), gzipped as
 * tesseract.js reads them. They ship in the app's own assets/ folder because no npm package carries them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipVaultError } from '../../../shared/errors';

/** The languages assets/tessdata-fast holds a model for. */
export const FAST_MODEL_LANGUAGES = ['chi_sim', 'eng'] as const;

const FOLDER = join('assets', 'tessdata-fast');

/**
 * assets/tessdata-fast: two folders up from a bundle in dist/<name>/ (and inside app.asar when packaged),
 * four up from this source file (tests run the sources).
 */
function fastModelFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', FOLDER), join(here, '..', '..', '..', '..', FOLDER)];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'LICENSE')));
  if (!found)
    throw new SlipVaultError('INTERNAL', `The fast OCR models (${FOLDER}) are missing from this installation.`, { candidates }).withMessage(
      'ocr.fastModelsMissing',
      {},
    );
  return found;
}

/** The fast model file of one language; VALIDATION for a language that has none. */
export function fastModelFile(language: string): string {
  if (!(FAST_MODEL_LANGUAGES as readonly string[]).includes(language)) {
    throw new SlipVaultError(
      'VALIDATION',
      `OCR language "${language}" has no fast model; the fast models cover ${FAST_MODEL_LANGUAGES.join(' and ')}. Use the accurate model for it.`,
      { language, fastLanguages: [...FAST_MODEL_LANGUAGES] },
    ).withMessage('ocr.noFastModel', { language, fastLanguages: FAST_MODEL_LANGUAGES.join(', ') });
  }
  return join(fastModelFolder(), `${language}.traineddata.gz`);
}
