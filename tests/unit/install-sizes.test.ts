/**
 * The install sizes bench:ocr and bench:ocr-engines report (bench/install-sizes.ts): folder sizes add up the
 * files under them, packages are found where node finds them, and each engine's row counts at least the files
 * it is known to need.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderBytes, installSizes, installSizeTable, megabytes, packageFolder } from '../../bench/install-sizes';
import { languageDataFile } from '../../src/main/core/ocr/language-data';

const root = resolve(import.meta.dirname, '..', '..');
const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe('folderBytes', () => {
  it('adds up the files of a folder and of the folders inside it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'install-sizes-'));
    folders.push(folder);
    mkdirSync(join(folder, 'inner', 'deeper'), { recursive: true });
    writeFileSync(join(folder, 'a.bin'), Buffer.alloc(1000));
    writeFileSync(join(folder, 'inner', 'b.bin'), Buffer.alloc(2345));
    writeFileSync(join(folder, 'inner', 'deeper', 'c.bin'), Buffer.alloc(7));
    expect(folderBytes(folder)).toBe(3352);
  });
});

describe('packageFolder', () => {
  it('is the installed folder of the package, its package.json naming it', () => {
    const folder = packageFolder('@tesseract.js-data/eng', root, '@tesseract.js-data/eng/package.json');
    expect(folder.endsWith(join('node_modules', '@tesseract.js-data', 'eng'))).toBe(true);
    expect(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).name).toBe('@tesseract.js-data/eng');
  });
});

describe('installSizes', () => {
  const sizes = installSizes();
  const row = (engine: string) => sizes.find((size) => size.engine === engine)!;

  it('counts the language data at least as the two best_int models the accurate mode reads', () => {
    const models = ['chi_sim', 'eng'].reduce((sum, language) => sum + statSync(languageDataFile(language)).size, 0);
    expect(row('tesseract.js language data').bytes).toBeGreaterThan(models);
  });

  it('counts the fast models as the two files in assets/ and their licence', () => {
    const files = ['chi_sim', 'eng'].reduce((sum, language) => sum + statSync(languageDataFile(language, 'fast')).size, 0);
    const licence = statSync(join(root, 'assets', 'tessdata-fast', 'LICENSE')).size;
    expect(row('fast models').bytes).toBe(files + licence);
  });

  it('has a row for tesseract.js and for PP-OCR, each larger than the fast models', () => {
    expect(row('tesseract.js').bytes).toBeGreaterThan(row('fast models').bytes);
    expect(row('PP-OCR').bytes).toBeGreaterThan(row('fast models').bytes);
  });

  it('prints one table row per engine in megabytes with one decimal', () => {
    const table = installSizeTable(sizes);
    expect(table).toHaveLength(sizes.length + 2);
    expect(table[2]).toContain(`| ${sizes[0]!.engine} | ${megabytes(sizes[0]!.bytes)} MB |`);
    expect(megabytes(3.5 * 1024 * 1024 + 1)).toBe(3.5);
  });
});
