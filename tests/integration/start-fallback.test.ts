/**
 * `npm start` where Electron cannot run (scripts/start.mjs): its runtime is absent and cannot be downloaded,
 * so the launcher says why in one line, serves the same app through the preview host on an archive in the
 * user's documents folder, and hands the address to the browser. Run for real: a fresh HOME, the real
 * Electron installer failing to download, the real preview host answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, REPO_ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

const why = (reason: string) =>
  `SlipVault: Electron's runtime is not installed and cannot be downloaded here (${reason}); opening the same app in your browser instead.`;
const OFFLINE = why('offline, or the download is blocked');

interface Launcher {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  url: Promise<string>;
}

/** A loopback port nobody listens on: the Electron "download server" that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const running: ChildProcess[] = [];

async function launch(home: string, args: string[] = [], mirror?: string): Promise<Launcher> {
  // The browser: a script that notes the address it was asked to open.
  const browser = join(home, 'browser.sh');
  writeFileSync(browser, '#!/bin/sh\nprintf %s "$1" > "$HOME/opened-url"\n');
  chmodSync(browser, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    BROWSER: browser,
    // Even where a runtime is installed or the network is up, this run finds none and cannot fetch one
    // (and so never downloads into node_modules or rebuilds the shared native module for Electron).
    ELECTRON_OVERRIDE_DIST_PATH: tempDir('slipvault-no-electron-'),
    ELECTRON_MIRROR: mirror ?? `http://127.0.0.1:${await closedPort()}/`,
  };
  delete env.XDG_CONFIG_HOME;
  delete env.SLIPVAULT_ARCHIVE;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolveUrl, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        const printed = /^Open (http:\/\/\S+)$/.exec(line)?.[1];
        if (printed) resolveUrl(printed);
      }
    });
    child.on('exit', (code) => reject(new Error(`the launcher exited ${code} before printing an address: ${lines.join('\n')}\n${stderr}`)));
  });
  return { child, lines, stderr: () => stderr, url };
}

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let tries = 0; tries < 100; tries += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** One contract call over the preview's WebSocket, as the page makes it. */
function callPreview(url: string, method: string): Promise<{ ok: boolean; value?: unknown }> {
  const { origin, hash } = new URL(url);
  const token = new URLSearchParams(hash.slice(1)).get('token')!;
  return new Promise((resolveCall, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`, { origin });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, input: {} })));
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { kind: string; result?: { ok: boolean; value?: unknown } };
      if (message.kind !== 'result') return;
      ws.close();
      resolveCall(message.result!);
    });
  });
}

async function stop(launcher: Launcher): Promise<number | null> {
  const exited = new Promise<number | null>((done) => launcher.child.once('exit', (code) => done(code)));
  launcher.child.kill('SIGTERM');
  return exited;
}

beforeAll(() => ensureCliBuilt());

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start without an Electron runtime', () => {
  it('says why in one line, serves the app from ~/Documents/SlipVault and opens the browser on it', async () => {
    const home = tempDir('slipvault-home-');
    const launcher = await launch(home);
    const url = await launcher.url;

    expect(launcher.lines[0]).toBe(OFFLINE);
    expect(launcher.lines.filter((line) => line.startsWith('SlipVault:'))).toHaveLength(1);
    expect(launcher.lines).toContain(`SlipVault preview on ${join(home, 'Documents', 'SlipVault')}`);
    expect(await waitFor(() => (existsSync(join(home, 'opened-url')) ? readFileSync(join(home, 'opened-url'), 'utf8') : undefined), 'the browser')).toBe(url);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    // A fresh archive: the page will ask for its first administrator.
    expect(await callPreview(url, 'auth:status')).toMatchObject({ ok: true, value: { setupRequired: true, user: null } });
    expect(existsSync(join(home, 'Documents', 'SlipVault', 'slipvault.db'))).toBe(true);

    expect(await stop(launcher)).toBe(0);
    // The preview stopped with it: nothing answers on its port any more.
    await expect(fetch(url)).rejects.toThrow();
    expect(launcher.stderr()).toBe('');
  });

  it('uses the XDG documents folder, and with --no-browser only prints the address', async () => {
    const home = tempDir('slipvault-home-');
    mkdirSync(join(home, '.config'));
    writeFileSync(join(home, '.config', 'user-dirs.dirs'), 'XDG_DESKTOP_DIR="$HOME/Schreibtisch"\nXDG_DOCUMENTS_DIR="$HOME/Dokumente"\n');
    const launcher = await launch(home, ['--no-browser']);
    const url = await launcher.url;

    expect(launcher.lines[0]).toBe(OFFLINE);
    expect(launcher.lines).toContain(`SlipVault preview on ${join(home, 'Dokumente', 'SlipVault')}`);
    expect((await fetch(url)).status).toBe(200);
    expect(existsSync(join(home, 'Dokumente', 'SlipVault', 'slipvault.db'))).toBe(true);
    expect(await stop(launcher)).toBe(0);
    expect(existsSync(join(home, 'opened-url'))).toBe(false);
    expect(launcher.stderr()).toBe('');
  });

  it('names the answer of a download server that refuses (a locked-down office network)', async () => {
    const proxy = createHttpServer((_req, res) => res.writeHead(403).end('blocked by policy'));
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      const launcher = await launch(tempDir('slipvault-home-'), ['--no-browser'], `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`);
      await launcher.url;
      expect(launcher.lines[0]).toBe(why('the download server answered 403'));
      expect(await stop(launcher)).toBe(0);
      expect(launcher.stderr()).toBe('');
    } finally {
      proxy.close();
    }
  });
});
