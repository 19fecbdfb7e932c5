/**
 * What a CLI command reads at start-up: packages only some commands use are imported on first use
 * (docs/architecture.md, "What start-up loads"), because with a cold page cache every file a command reads
 * under node_modules is a disk read before it does anything. A command that opens an archive and logs in
 * must not load them; the built CLI is run with a preload that records every module file it requires.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initArchive } from '../../src/main/core/archive';
import { tempDir } from '../helpers/fixtures';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

const ROOT = resolve(__dirname, '..', '..');
const LOADED_ON_FIRST_USE = ['pg', 'exceljs', 'pdf-lib', 'tesseract.js', 'pdfjs-dist', 'onnxruntime-node'];

let archiveDir: string;

beforeAll(async () => {
  archiveDir = join(tempDir(), 'archive');
  const archive = await initArchive(archiveDir, { program: 'cli-start-loads test' });
  await ensureUser(archive, 'clerk-li', 'admin');
  archive.close();
});

/** The packages under node_modules whose files the command required. */
function packagesLoadedBy(args: string[]): Set<string> {
  const dir = tempDir();
  const record = join(dir, 'loaded.txt');
  const preload = join(dir, 'record-loads.cjs');
  writeFileSync(
    preload,
    `const Module = require('node:module'); const fs = require('node:fs');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try { fs.appendFileSync(${JSON.stringify(record)}, Module._resolveFilename(request, parent, isMain) + '\\n'); } catch {}
  return load.apply(this, arguments);
};`,
  );
  writeFileSync(record, '');
  const run = spawnSync(process.execPath, ['--require', preload, join(ROOT, 'dist', 'cli', 'slipvault.cjs'), ...args], {
    env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const packages = new Set<string>();
  for (const path of readFileSync(record, 'utf8').split('\n')) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    if (match) packages.add(match[1]!);
  }
  return packages;
}

describe('CLI start-up', () => {
  it('opens an archive, logs in and answers without loading the packages kept for first use', () => {
    const loaded = packagesLoadedBy(['--archive', archiveDir, 'status']);
    expect(loaded.has('better-sqlite3')).toBe(true);
    expect([...loaded].filter((name) => LOADED_ON_FIRST_USE.includes(name))).toEqual([]);
  });
});
