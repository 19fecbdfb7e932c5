/**
 * The desktop app's owner process is an Electron utility process, not `child_process.fork`: packaged
 * SlipVault has the RunAsNode fuse off (scripts/after-pack.cjs), so Electron ignores ELECTRON_RUN_AS_NODE
 * and `fork(process.execPath)` would start a second app instead of Node. A utility process runs the same
 * dist/main/owner.cjs with Electron's own Node (the better-sqlite3 build the app ships), reads it from
 * app.asar, and ends with the app. Only how the process starts differs; calls still go over the owner socket.
 * Electron's utilityProcess is passed in, as safeStorage is to backup-keychain.ts.
 */
import type { OwnerProcess, StartOwnerProcess } from '../owner/launcher';

/** The parts of Electron's UtilityProcess used here. */
interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/** The part of Electron's utilityProcess module used here. */
export interface UtilityProcessModule {
  fork(modulePath: string, args: string[], options: { serviceName: string; stdio: 'inherit' }): UtilityProcessLike;
}

export function utilityOwnerProcess(utilityProcess: UtilityProcessModule): StartOwnerProcess {
  return (entry, args): OwnerProcess => {
    const child = utilityProcess.fork(entry, args, { serviceName: 'SlipVault archive owner', stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      // Electron reports a utility process's exit code only, not the signal that ended it.
      onExit: (listener) => void child.once('exit', (code) => listener(code, null)),
      kill() {
        // UtilityProcess.kill() is a SIGTERM, which the owner answers by stopping cleanly; this is for one that does not.
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      },
    };
  };
}
