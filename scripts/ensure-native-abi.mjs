#!/usr/bin/env node
// docs/architecture.md, "Two runtimes, one behaviour": better-sqlite3's native addon must be built for the runtime about to load it.
// Tests and the CLI load it in Node; `npm start` loads it in Electron. This script checks which
// runtime the installed binary was built for and rebuilds only on a mismatch.
//
//   node scripts/ensure-native-abi.mjs node       before tests / the CLI
//   node scripts/ensure-native-abi.mjs electron   before `electron .`
//   add --force to rebuild regardless.
//
// A marker file next to the binary (build/Release/.slipvault-abi) records what it was built for:
//   "node <NODE_MODULE_VERSION>"  or  "electron <electron version> <abi>".
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const TAG = '[native-abi]';

const target = process.argv[2];
const force = process.argv.includes('--force');
if (target !== 'node' && target !== 'electron') {
  console.error(`${TAG} usage: node scripts/ensure-native-abi.mjs node|electron [--force]`);
  process.exit(2);
}

const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const releaseDir = path.join(pkgDir, 'build', 'Release');
const binary = path.join(releaseDir, 'better_sqlite3.node');
const markerFile = path.join(releaseDir, '.slipvault-abi');

const readMarker = () => (existsSync(markerFile) ? readFileSync(markerFile, 'utf8').trim() : '');
const writeMarker = (text) => {
  mkdirSync(releaseDir, { recursive: true });
  writeFileSync(markerFile, `${text}\n`);
};

/** Run a command with inherited stdio; returns its exit status (null if it could not start). */
function run(command, args, env = process.env) {
  // npm is npm.cmd on Windows, which only runs through a shell.
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (result.error) console.error(`${TAG} could not run ${command}: ${result.error.message}`);
  return result.status;
}

/** Keep a copy of the current binary so a failed rebuild does not leave the tree without one. */
function backup() {
  if (!existsSync(binary)) return null;
  const copy = path.join(tmpdir(), `better_sqlite3.${process.pid}.node`);
  copyFileSync(binary, copy);
  return { copy, marker: readMarker() };
}
function restore(saved) {
  if (!saved) return;
  mkdirSync(releaseDir, { recursive: true });
  copyFileSync(saved.copy, binary);
  if (saved.marker) writeMarker(saved.marker);
  else rmSync(markerFile, { force: true });
  rmSync(saved.copy, { force: true });
  console.error(`${TAG} restored the previous better-sqlite3 binary.`);
}
function discard(saved) {
  if (saved) rmSync(saved.copy, { force: true });
}

/** Try to open an in-memory database in a child Node process. */
function loadsInNode() {
  const probe = "const D = require('better-sqlite3'); const db = new D(':memory:'); db.prepare('select 1').get(); db.close();";
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  return { ok: result.status === 0, error: `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim() };
}

function ensureNode() {
  const nodeMarker = `node ${process.versions.modules}`;
  const marker = readMarker();
  const probe = loadsInNode();

  if (probe.ok && !force) {
    // Loading is the ground truth: a binary that opens a database in this Node is built for it.
    if (marker !== nodeMarker) writeMarker(nodeMarker);
    const note = marker.startsWith('electron') ? ' (marker said electron; corrected)' : '';
    console.log(`${TAG} better-sqlite3 is built for Node ${process.version} (ABI ${process.versions.modules}): nothing to do${note}.`);
    return 0;
  }

  let reason;
  if (force) reason = '--force';
  else if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(probe.error))
    reason = marker.startsWith('electron') ? `it is built for ${marker}` : 'it is built for another Node.js ABI';
  else if (!existsSync(binary)) reason = 'the binary is missing';
  else reason = `it does not load: ${probe.error.split('\n').find((line) => line.trim()) ?? 'unknown error'}`;

  console.log(
    `${TAG} rebuilding better-sqlite3 for Node ${process.version} (ABI ${process.versions.modules}) from source, because ${reason} (takes a few minutes)…`,
  );
  const saved = backup();
  const status = run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', 'better-sqlite3'], {
    ...process.env,
    npm_config_build_from_source: 'true',
  });
  const after = loadsInNode();
  if (status !== 0 || !after.ok) {
    console.error(`${TAG} rebuilding better-sqlite3 for Node failed (npm exit ${status}). ${after.error}`);
    console.error(`${TAG} a source build needs python3, make and a C++ compiler, plus Node headers (npm config nodedir, or internet).`);
    if (!after.ok) restore(saved);
    else discard(saved);
    return 1;
  }
  discard(saved);
  writeMarker(nodeMarker);
  console.log(`${TAG} better-sqlite3 rebuilt for Node ${process.version} (ABI ${process.versions.modules}).`);
  return 0;
}

function electronInfo() {
  let version;
  try {
    version = require('electron/package.json').version;
  } catch {
    return null;
  }
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  let abi = '';
  const abiFile = path.join(electronDir, 'abi_version');
  if (existsSync(abiFile)) abi = readFileSync(abiFile, 'utf8').trim();
  if (!abi) {
    try {
      abi = require('node-abi').getAbi(version, 'electron');
    } catch {
      abi = 'unknown';
    }
  }
  return { version, abi };
}

function ensureElectron() {
  const electron = electronInfo();
  if (!electron) {
    console.error(`${TAG} electron is not installed (npm ci installs it as a devDependency).`);
    return 1;
  }
  const electronMarker = `electron ${electron.version} ${electron.abi}`;
  const marker = readMarker();
  if (marker === electronMarker && existsSync(binary) && !force) {
    console.log(`${TAG} better-sqlite3 is built for Electron ${electron.version} (ABI ${electron.abi}): nothing to do.`);
    return 0;
  }

  const was = marker || (loadsInNode().ok ? `node ${process.versions.modules}` : 'unknown');
  console.log(`${TAG} rebuilding better-sqlite3 for Electron ${electron.version} (ABI ${electron.abi}); it was built for ${was}…`);

  let cli;
  try {
    // The package exports only its main (lib/main.js); the CLI sits next to it.
    cli = path.join(path.dirname(require.resolve('@electron/rebuild')), 'cli.js');
  } catch {
    console.error(`${TAG} @electron/rebuild is not installed (it comes with electron-builder); run npm ci.`);
    return 1;
  }
  // npm passes `nodedir` (Node's own headers) to child processes as npm_config_nodedir; node-gyp would
  // then silently build against Node's headers instead of Electron's. Drop all such npm config.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_(nodedir|build_from_source|target|runtime|disturl|arch)$/i.test(key)),
  );
  const saved = backup();
  const status = run(process.execPath, [cli, '--force', '--only', 'better-sqlite3', '--version', electron.version, '--module-dir', root], env);
  if (status !== 0 || !existsSync(binary)) {
    console.error(
      `${TAG} could not rebuild better-sqlite3 for Electron ${electron.version}. This needs the Electron ` +
        `headers (downloaded from electronjs.org) or a prebuilt binary from GitHub; ` +
        `offline, neither is reachable. Tests and the CLI are unaffected (they use the Node build).`,
    );
    restore(saved);
    return 1;
  }
  discard(saved);
  writeMarker(electronMarker);
  console.log(
    `${TAG} better-sqlite3 rebuilt for Electron ${electron.version} (ABI ${electron.abi}). Run \`node scripts/ensure-native-abi.mjs node\` before tests.`,
  );
  return 0;
}

process.exit(target === 'node' ? ensureNode() : ensureElectron());
