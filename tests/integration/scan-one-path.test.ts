/**
 * One scanning path: the same SANE `test` batch scanned by `slipvault scan` and through the contract's
 * scanner:scan gives the same documents — page counts, split points, suggested slip numbers — and the
 * same refusal for a batch of blank sheets.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import type { ApiClient } from '../../src/main/core/api';
import type { DocumentSummary } from '../../src/shared/model';
import { callOk } from '../helpers/api-calls';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { hasScanimage, saneTestConfig } from '../helpers/sane';
import { clientAs } from '../helpers/sessions';

const BATCH = { device: 'test:0', source: 'ADF', resolution: 50, pages: 3 } as const;
const BATCH_ARGS = ['--device', 'test:0', '--source', 'ADF', '--resolution', '50', '--pages', '3'];
const savedSaneConfig = process.env.SANE_CONFIG_DIR;

/** What a scan made of the batch, read back through the contract: nothing that differs by time or id. */
async function scannedDocuments(client: ApiClient) {
  const list = await callOk(client, 'documents:list', { limit: 100 });
  const imports = await callOk(client, 'audit:query', { filters: { action: 'document.import' } });
  const inbox = await callOk(client, 'inbox:list', { limit: 100 });
  return [...list.items].reverse().map((document: DocumentSummary) => {
    const details = imports.events.find((event) => event.targetId === document.archiveNo)?.details ?? {};
    const item = inbox.find((entry) => entry.document.id === document.id);
    return {
      title: document.title.replace(/^scan-[\dT-]+Z/, 'scan'),
      pageCount: document.pageCount,
      status: document.status,
      splitPages: details.sourcePages ?? null,
      slipNumbers: item?.suggestions.filter((suggestion) => suggestion.field === 'slipNo').map((suggestion) => suggestion.value) ?? [],
      pagesDone: item?.pagesDone ?? null,
    };
  });
}

async function connect(archive: Archive): Promise<ApiClient> {
  // `slipvault init` made the CLI's user (tests/helpers/cli.ts) the first administrator.
  return clientAs(createApi(archive), archive, 'admin', 'clerk-li');
}

const scanimage = hasScanimage();

describe.runIf(scanimage)(`one scanning path (SANE test backend${scanimage ? '' : ': skipped, scanimage (sane-utils) is not installed'})`, () => {
  const grid = saneTestConfig(1);
  const white = saneTestConfig(1, 'Solid white');

  beforeAll(() => {
    // The contract's scanner calls read the process environment, as the app does.
    process.env.SANE_CONFIG_DIR = grid;
  });
  afterAll(() => {
    if (savedSaneConfig === undefined) delete process.env.SANE_CONFIG_DIR;
    else process.env.SANE_CONFIG_DIR = savedSaneConfig;
  });

  it('gives the same documents from the CLI and from scanner:scan', async () => {
    const cliDir = join(tempDir(), 'archive');
    slipvaultJson(['--archive', cliDir, 'init']);
    const cliScan = slipvaultJson<{ documents: DocumentSummary[]; pages: number }>(['--archive', cliDir, 'scan', ...BATCH_ARGS], { SANE_CONFIG_DIR: grid });
    expect(cliScan.pages).toBe(3);

    const contractArchive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    try {
      const client = await connect(contractArchive);
      const scan = await callOk(client, 'scanner:scan', BATCH);
      expect(scan.pages).toBe(3);
      expect(scan.import.failed).toEqual([]);
      await callOk(client, 'ocr:process', {});
      const fromContract = await scannedDocuments(client);

      const cliArchive = await openArchive(cliDir, { actor: 'clerk-li' });
      try {
        const fromCli = await scannedDocuments(await connect(cliArchive));
        expect(fromContract).toEqual(fromCli);
        expect(fromCli).toEqual([{ title: 'scan', pageCount: 3, status: 'inbox', splitPages: null, slipNumbers: [], pagesDone: 3 }]);
        expect(cliScan.documents.map((document) => document.archiveNo)).toEqual(scan.import.imported.map((entry) => entry.document.archiveNo));
      } finally {
        cliArchive.close();
      }
    } finally {
      contractArchive.close();
    }
  });

  it('refuses a batch of blank sheets the same way from both, storing nothing', async () => {
    const cliDir = join(tempDir(), 'archive');
    slipvaultJson(['--archive', cliDir, 'init']);
    const cliRun = slipvault(['--archive', cliDir, 'scan', ...BATCH_ARGS], { SANE_CONFIG_DIR: white });
    expect(cliRun.status).toBe(1);
    expect(cliRun.stderr).toContain('All 3 scanned page(s) are blank.');

    process.env.SANE_CONFIG_DIR = white;
    const contractArchive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    try {
      const client = await connect(contractArchive);
      const scan = await callOk(client, 'scanner:scan', BATCH);
      expect(scan.import.imported).toEqual([]);
      expect(scan.import.failed).toMatchObject([{ code: 'NOT_FOUND', message: 'All 3 scanned page(s) are blank.' }]);
      expect((await callOk(client, 'archive:status', {})).documents).toBe(0);
    } finally {
      contractArchive.close();
      process.env.SANE_CONFIG_DIR = grid;
    }
    expect(slipvaultJson<{ documents: number }>(['--archive', cliDir, 'status']).documents).toBe(0);
    expect(slipvaultJson<{ ok: boolean }>(['--archive', cliDir, 'check']).ok).toBe(true);
  });
});
