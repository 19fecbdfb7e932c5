/**
 * `slipvault --server URL import --upload FILE…`: files on this computer sent to the server over the connection
 * and imported there (uploads:begin / append / import, host/server-uploads.ts) — what the desktop app does with a
 * dropped file. Without --upload, the paths name files on the server's disk, as before.
 */
import { basename, resolve } from 'node:path';
import type { CallResult, Method } from '../../shared/contract';
import type { ImportResult } from '../../shared/model';
import { uploadFile } from '../host/server-uploads';
import { CliFailure, EXIT_FAILED, type CliSession } from './context';

/** Each file uploaded and imported in turn; a refusal of the session itself (login, role, server gone) ends the command. */
export async function uploadAndImport(session: CliSession, files: string[]): Promise<ImportResult> {
  const invoke = async (method: Method, input: unknown): Promise<CallResult<Method>> => {
    try {
      return { ok: true, value: await session.call(method, input as never) };
    } catch (error) {
      if (error instanceof CliFailure) return { ok: false, error: error.payload };
      throw error;
    }
  };
  const result: ImportResult = { imported: [], failed: [] };
  for (const file of files) {
    const outcome = await uploadFile(invoke, resolve(file), basename(file));
    if (!outcome.ok) {
      if (['UNAUTHENTICATED', 'FORBIDDEN', 'SERVER_UNREACHABLE'].includes(outcome.error.code)) throw new CliFailure(outcome.error, EXIT_FAILED);
      result.failed.push({ file, ...outcome.error });
      continue;
    }
    result.imported.push(...outcome.value.imported.map((entry) => ({ ...entry, file })));
    result.failed.push(...outcome.value.failed.map((entry) => ({ ...entry, file })));
  }
  return result;
}
