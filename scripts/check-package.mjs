#!/usr/bin/env node
// Packages the app for real, offline, and inspects the result: `npm run check:package`.
//
// electron-builder runs with electron-builder.yml and scripts/after-pack.cjs as `npm run dist` does, but
// into a temp folder, as a Linux `dir` target, without rebuilding native modules (that needs Electron's
// headers) and on a stand-in Electron: a file carrying Electron's fuse wire in its default state, so the
// afterPack hook flips real fuses. Then the app.asar header is read back:
//   - every native binary (.node, .so, .dylib, .dll) anywhere in the app is unpacked, and on disk;
//   - the bundles (the shell, the preload, the owner process) and worker scripts are inside app.asar (not
//     unpacked), and so the embedded migrations;
//     the CLI and preview bundles are left out;
//   - every package the bundles require is in the app; the OCR language data is unpacked;
//   - the fuses read back as after-pack.cjs sets them.
// Takes about a minute and ~350 MB of temp space; the temp folder is removed afterwards.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import afterPack from './after-pack.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const asar = builderRequire('@electron/asar');
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');
const { fuseConfig } = afterPack;

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults: RunAsNode, NODE_OPTIONS, inspect and file:// privileges on; asar checks off. */
const DEFAULT_WIRE = [1, 8, 49, 48, 49, 49, 48, 48, 48, 49];
const NATIVE_BINARY = /\.(node|dylib|dll)$|\.so(\.\d+)*$/;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} failed (exit ${result.status})`);
}

/** Every file of the asar header as [path inside the app, entry]. */
function* entries(node, prefix = '') {
  for (const [name, entry] of Object.entries(node.files ?? {})) {
    const file = prefix ? `${prefix}/${name}` : name;
    if (entry.files) yield* entries(entry, file);
    else yield [file, entry];
  }
}

const failures = [];
const rows = [];
function check(what, ok, detail = '') {
  rows.push(`| ${what} | ${ok ? 'ok' : '**FAILED**'} | ${detail} |`);
  if (!ok) failures.push(`${what}: ${detail}`);
}

const work = mkdtempSync(path.join(tmpdir(), 'slipvault-package-'));
try {
  run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production']);
  const electronDist = path.join(work, 'electron');
  const output = path.join(work, 'release');
  mkdirSync(electronDist);
  writeFileSync(path.join(electronDist, 'electron'), Buffer.concat([Buffer.from('stand-in for Electron\n'), Buffer.from(SENTINEL), Buffer.from(DEFAULT_WIRE)]));
  chmodSync(path.join(electronDist, 'electron'), 0o755);
  run(process.execPath, [
    require.resolve('electron-builder/cli.js'),
    '--linux',
    'dir',
    '-c.npmRebuild=false',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${output}`,
  ]);

  const appOut = path.join(output, 'linux-unpacked');
  const resources = path.join(appOut, 'resources');
  const archive = path.join(resources, 'app.asar');
  const files = new Map(entries(asar.getRawHeader(archive).header));
  const unpacked = (file) => files.get(file)?.unpacked === true && existsSync(path.join(resources, 'app.asar.unpacked', file));

  const binaries = [...files.keys()].filter((file) => NATIVE_BINARY.test(file));
  const packedBinaries = binaries.filter((file) => !unpacked(file));
  check(
    'native binaries unpacked',
    binaries.length > 0 && packedBinaries.length === 0,
    `${binaries.length} found${packedBinaries.length ? `; packed: ${packedBinaries.join(', ')}` : ''}`,
  );

  const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const bundles = [
    packageJson.main,
    'dist/main/preload.cjs',
    'dist/main/owner.cjs',
    ...readdirSync(path.join(root, 'dist/workers'))
      .filter((f) => f.endsWith('.cjs'))
      .map((f) => `dist/workers/${f}`),
  ];
  const misplaced = bundles.filter((file) => !files.has(file) || unpacked(file));
  check('bundles and workers inside app.asar', misplaced.length === 0, misplaced.join(', ') || bundles.join(', '));
  check('renderer inside app.asar', files.has('dist/renderer/index.html') && files.has('dist/renderer/pdfjs/pdf.worker.min.mjs'));
  const extra = [...files.keys()].filter((file) => file.startsWith('dist/cli/') || file.startsWith('dist/preview/'));
  check('no CLI or preview bundle', extra.length === 0, extra.join(', '));

  const builtins = new Set(builtinModules);
  const required = new Set();
  for (const bundle of bundles) {
    const text = readFileSync(path.join(root, bundle), 'utf8');
    for (const [, specifier] of text.matchAll(/\b(?:require|import)\("([^"]+)"\)/g)) {
      if (specifier.startsWith('node:') || specifier.startsWith('.') || builtins.has(specifier)) continue;
      const name = specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
      if (name !== 'electron') required.add(name);
    }
  }
  const missing = [...required].filter((name) => !files.has(`node_modules/${name}/package.json`));
  check('required packages in the app', missing.length === 0, missing.join(', ') || [...required].sort().join(', '));

  const languageData = [...files.keys()].filter((file) => file.startsWith('node_modules/@tesseract.js-data/') && file.endsWith('.traineddata.gz'));
  check('OCR language data unpacked', languageData.length >= 2 && languageData.every(unpacked), `${languageData.length} files`);

  const wire = await getCurrentFuseWire(path.join(appOut, packageJson.name));
  const wanted = fuseConfig('linux');
  const wrong = Object.entries(FuseV1Options)
    .filter(([, index]) => typeof index === 'number' && typeof wanted[index] === 'boolean' && wire[index] !== (wanted[index] ? 49 : 48))
    .map(([name]) => name);
  check('fuses flipped', wrong.length === 0, wrong.join(', ') || 'RunAsNode, NODE_OPTIONS, inspect, file:// privileges off; asar integrity, only-from-asar on');

  console.log('\n| check | result | detail |\n| --- | --- | --- |');
  for (const row of rows) console.log(row);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`\ncheck:package failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
