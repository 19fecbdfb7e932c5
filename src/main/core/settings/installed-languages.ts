/**
 * Which OCR languages this installation can offer: the @tesseract.js-data packages that resolve from
 * here and ship the model the OCR pool loads. osd holds orientation data, not a language to read.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const SCOPE = '@tesseract.js-data';
const MODEL_FOLDER = '4.0.0_best_int';
const NOT_A_LANGUAGE = new Set(['osd']);

const requireFromHere = createRequire(import.meta.url);

export function installedLanguages(): string[] {
  const found = new Set<string>();
  for (const modules of requireFromHere.resolve.paths(SCOPE) ?? []) {
    const scope = join(modules, SCOPE);
    if (!existsSync(scope)) continue;
    for (const name of readdirSync(scope)) {
      if (NOT_A_LANGUAGE.has(name) || !existsSync(join(scope, name, MODEL_FOLDER, `${name}.traineddata.gz`))) continue;
      found.add(name);
    }
  }
  return [...found].sort();
}
