#!/usr/bin/env node
// `npm start` (after `npm run build`): opens the desktop window when this machine can run Electron, and
// otherwise the same app in the default browser through the preview host, so that the first command works
// on every fresh machine. Electron ≥ 42 fetches its runtime on first launch and better-sqlite3 needs
// Electron's headers to be rebuilt for it; offline or behind a locked-down network either may be out of
// reach, and then the user gets one line saying why instead of a node-gyp stack trace.
//
//   node scripts/start.mjs [--no-browser]
//
// The browser fallback opens the archive in SLIPVAULT_ARCHIVE, or else <documents>/SlipVault (created on
// first use). The browser is $BROWSER when set, else xdg-open / open / start; --no-browser only prints the
// address. See docs/start.md.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');
/** A step still running after this long gets a line, so that a download or a build is not mistaken for a hang. */
const NOTICE_AFTER_MS = 3000;
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const FALLBACK = 'opening the same app in your browser instead.';

/** Runs a step with its output captured (shown to nobody: it would be a stack trace); resolves { ok, output, timedOut }. */
function quietly(args, { notice, timeoutMs } = {}) {
  return new Promise((resolveStep) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = notice ? setTimeout(() => console.log(`SlipVault: ${notice}…`), NOTICE_AFTER_MS) : null;
    child.on('error', (error) => (output += error.message));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveStep({ ok: code === 0, output, timedOut: Boolean(timeoutMs) && signal === 'SIGTERM' });
    });
  });
}

/** Why a runtime download failed, in a few words: @electron/get reports it as a stack trace. */
function downloadFailure({ output, timedOut }) {
  if (timedOut) return `no answer in ${DOWNLOAD_TIMEOUT_MS / 60_000} minutes`;
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(output)) return 'offline, or the download is blocked';
  const status = /Response code (\d{3})/.exec(output);
  if (status) return `the download server answered ${status[1]}`;
  return 'the download failed';
}

/** The reason the window cannot open here, or null when Electron and its database module are ready. */
async function whyNoWindow() {
  if (!existsSync(path.join(electronDir, 'install.js'))) return 'the electron package is not installed (run npm ci without --omit=dev)';
  // Electron's own installer: exits at once when the runtime is present, else downloads it.
  const runtime = await quietly([path.join(electronDir, 'install.js')], {
    notice: "downloading Electron's runtime (about 100 MB, once)",
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
  });
  if (!runtime.ok) return `Electron's runtime is not installed and cannot be downloaded here (${downloadFailure(runtime)})`;
  const native = await quietly([path.join(root, 'scripts', 'ensure-native-abi.mjs'), 'electron'], {
    notice: 'building the database module for Electron (once, takes a few minutes)',
  });
  if (!native.ok) return "the database module cannot be built for Electron here (its prebuilt binary or Electron's headers cannot be downloaded)";
  return null;
}

/** The user's documents folder: XDG's on Linux (user-dirs.dirs), ~/Documents elsewhere (%USERPROFILE% on Windows). */
function documentsDir() {
  const home = homedir();
  if (process.platform === 'linux') {
    const config = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
    const dirsFile = path.join(config, 'user-dirs.dirs');
    const line = existsSync(dirsFile) ? /^XDG_DOCUMENTS_DIR="(.+)"$/m.exec(readFileSync(dirsFile, 'utf8')) : null;
    if (line) return line[1].replace(/^\$HOME(?=\/|$)/, home);
  }
  return path.join(home, 'Documents');
}

function openBrowser(url) {
  const [command, args] = process.env.BROWSER
    ? [process.env.BROWSER, [url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
  child.on('error', (error) => console.log(`SlipVault: no browser could be opened (${command}: ${error.message}); open the address above.`));
  child.unref();
}

function openWindow() {
  const child = spawn(process.execPath, [path.join(electronDir, 'cli.js'), root], { cwd: root, stdio: 'inherit' });
  child.on('close', (code) => process.exit(code ?? 1));
}

async function openInBrowser(reason, { browser }) {
  console.log(`SlipVault: ${reason}; ${FALLBACK}`);
  // The preview runs under Node: the database module may still be the Electron build of an earlier start.
  const native = await quietly([path.join(root, 'scripts', 'ensure-native-abi.mjs'), 'node'], {
    notice: 'building the database module for Node (once, takes a few minutes)',
  });
  if (!native.ok) {
    console.log('SlipVault: the database module cannot be built for Node either (needs python3, make and a C++ compiler); `npm run native:node` shows why.');
    process.exit(1);
  }
  const archiveDir = process.env.SLIPVAULT_ARCHIVE || path.join(documentsDir(), 'SlipVault');
  const preview = spawn(process.execPath, [path.join(root, 'dist', 'preview', 'preview.cjs'), '--archive', archiveDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: preview.stdout }).on('line', (line) => {
    console.log(line);
    const url = /^Open (http:\/\/\S+)$/.exec(line)?.[1];
    if (url && browser) openBrowser(url);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => preview.kill(signal));
  preview.on('close', (code) => process.exit(code ?? 0));
}

const options = process.argv.slice(2);
if (options.some((option) => option !== '--no-browser')) {
  console.log('usage: node scripts/start.mjs [--no-browser]');
  process.exit(2);
}
if (!existsSync(path.join(root, 'dist', 'preview', 'preview.cjs'))) {
  console.log('SlipVault: the app is not built yet; `npm start` builds it first (or run `npm run build`).');
  process.exit(1);
}
const reason = await whyNoWindow();
if (reason === null) openWindow();
else await openInBrowser(reason, { browser: !options.includes('--no-browser') });
