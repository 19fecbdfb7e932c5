/**
 * `app:openLogFolder` in the desktop app: the core names the archive's log folder (it cannot reach anyone's
 * desktop); the shell shows it in the file manager and answers opened: true. Electron's shell.openPath is
 * passed in, so this file stays free of electron.
 */
import type { CallResult, Method, OutputOf } from '../../shared/contract';
import type { CallHandler } from '../host/transport';

/** Electron's shell.openPath: resolves to '' when the folder opened, else to the reason it did not. */
type OpenPath = (path: string) => Promise<string>;

export function openingLogFolder(handler: CallHandler, openPath: OpenPath): CallHandler {
  return {
    async invoke(method, input): Promise<CallResult<Method>> {
      const result = await handler.invoke(method, input);
      if (method !== 'app:openLogFolder' || !result.ok) return result;
      const folders = result.value as OutputOf<'app:openLogFolder'>;
      const problem = await openPath(folders.folder);
      if (problem) {
        return {
          ok: false,
          error: { code: 'FILE_NOT_FOUND', message: `The log folder ${folders.folder} could not be opened: ${problem}`, details: { folder: folders.folder } },
        };
      }
      return { ok: true, value: { ...folders, opened: true } };
    },
  };
}
