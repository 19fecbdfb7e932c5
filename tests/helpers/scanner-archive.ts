/**
 * An archive with SANE's `test` backend as its scanners and an administrator's client over the contract, for
 * the tests of the scanner calls. Those calls read SANE's config folder from the process environment, as the
 * app does: it is set before the block's tests and put back after them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import type { Method } from '../../src/shared/contract';
import { callOk, refusalOf } from './api-calls';
import type { TestBackEnd } from './back-ends';
import { tempDir } from './fixtures';
import { saneTestConfig } from './sane';
import { clientAs } from './sessions';

export interface ScannerArchive {
  readonly archive: Archive;
  call<M extends Method>(method: M, input: unknown): ReturnType<typeof callOk<M>>;
  refusal(method: Method, input: unknown): ReturnType<typeof refusalOf>;
}

/** Call in a describe block: the archive is made before its tests (with `devices` test scanners) and closed after. */
export function useScannerArchive(backEnd: TestBackEnd, devices: number): ScannerArchive {
  const savedSaneConfig = process.env.SANE_CONFIG_DIR;
  let archive: Archive | undefined;
  let core: Api | undefined;
  let api: ApiClient | undefined;
  const opened = () => {
    if (!api || !archive) throw new Error('The scanner archive is made in beforeAll: use it inside a test.');
    return { archive, api };
  };

  beforeAll(async () => {
    process.env.SANE_CONFIG_DIR = saneTestConfig(devices);
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-sun' });
    core = createApi(archive);
    api = await clientAs(core, archive, 'admin');
  });

  afterAll(async () => {
    await core?.dispose();
    archive?.close();
    if (savedSaneConfig === undefined) delete process.env.SANE_CONFIG_DIR;
    else process.env.SANE_CONFIG_DIR = savedSaneConfig;
  });

  return {
    get archive() {
      return opened().archive;
    },
    call: (method, input) => callOk(opened().api, method, input),
    refusal: (method, input) => refusalOf(opened().api, method, input),
  };
}
