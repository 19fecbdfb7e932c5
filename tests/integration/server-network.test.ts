/**
 * `slipvault serve --listen` with real processes on the loopback address: two workstations' CLIs over TLS
 * (the first connection refused until the fingerprint is given, then pinned), an event caused by one client
 * heard by another, two clerks saving the same document from the same version (the second refused with the
 * diff), the server killed with -9 under a stream of edits (the calls cut off told so, every acknowledged
 * edit there after a restart, check passing) and a replaced certificate refused with both fingerprints.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallResult, Method } from '../../src/shared/contract';
import type { EventMessage } from '../../src/shared/client';
import type { CheckReport, DocumentDetail, ImportResult, VersionSummary } from '../../src/shared/model';
import { serverLink } from '../../src/main/cli/server-link';
import { connectToServer } from '../../src/main/network/remote-client';
import type { OwnerConnection } from '../../src/main/owner/framed-client';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { remoteSlipvault, startServer, type RunningServer } from '../helpers/network-server';
import { TEST_PASSWORD } from '../helpers/sessions';

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.kill();
});

async function started(archive: string, options: Parameters<typeof startServer>[1] = {}): Promise<RunningServer> {
  const server = await startServer(archive, options);
  servers.push(server);
  return server;
}

async function loggedIn(server: RunningServer, username: string): Promise<OwnerConnection> {
  const connection = await connectToServer({ host: '127.0.0.1', port: server.port }, server.fingerprint);
  const login = await connection.invoke('auth:login', { username, password: TEST_PASSWORD });
  if (!login.ok) throw new Error(`login as ${username} failed: ${login.error.message}`);
  return connection;
}

/** An archive with the administrator clerk-li (the CLI helpers' user) and the clerk clerk-wang. */
function archiveWithTwoClerks(dir: string): string {
  const archive = join(dir, 'archive');
  slipvaultJson(['--archive', archive, 'init']);
  const added = slipvault(['--archive', archive, 'users', 'add', 'clerk-wang', '--role', 'clerk'], { SLIPVAULT_NEW_PASSWORD: TEST_PASSWORD });
  expect(added.status, added.stderr).toBe(0);
  return archive;
}

/** A dozen CLI and server processes each: minutes on a loaded machine, not the default minute. */
const PROCESS_HEAVY_MS = 240_000;

// The idle-session test spends a minute of wall time waiting; it runs beside the others (first, so that its
// synchronous CLI runs come before theirs), which run one after the other as before.
describe.concurrent('slipvault serve --listen', () => {
  it(
    "says which server ended a session that stayed idle longer than the archive's idle time",
    async () => {
      const dir = tempDir();
      const archive = archiveWithTwoClerks(dir);
      expect(slipvault(['--archive', archive, 'config', 'set', 'idleLockMinutes', '1']).status).toBe(0);
      const server = await started(archive);
      const link = await serverLink(server.url, {
        fingerprint: server.fingerprint,
        io: { stdout: () => undefined, stderr: () => undefined, env: { SLIPVAULT_CONFIG_DIR: join(dir, 'pc-li') } },
        mayAsk: false,
      });
      expect(await link.invoke('auth:login', { username: 'clerk-wang', password: TEST_PASSWORD })).toMatchObject({ ok: true });
      // The server stamped the session before its answer arrived, so a wait of just over the minute
      // from here is idle longer than the limit on the server too; the margin covers timers firing early.
      await new Promise((resolve) => setTimeout(resolve, 60_500));
      const expired = await link.invoke('documents:list', {});
      expect(expired).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'session-expired' } } });
      if (!expired.ok) {
        expect(expired.error.message).toBe(
          `Your session on ${server.url} has expired: the server ends a session after the archive's idle time without a call. Run the command again to log in.`,
        );
      }
      await link.close();
      expect(await server.stop()).toBe(0);
    },
    PROCESS_HEAVY_MS,
  );

  describe('two workstations', () => {
    it.sequential(
      'serves two workstations over TLS: pinning, events, and the second of two saves refused with the diff',
      async () => {
        const dir = tempDir();
        const archive = archiveWithTwoClerks(dir);
        const scans = join(dir, 'scans');
        mkdirSync(scans);
        const server = await started(archive, { folderRoots: [scans] });
        expect(server.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        const li = join(dir, 'pc-li');
        const wang = join(dir, 'pc-wang');

        // First contact from a script: nothing is trusted yet, so nothing is sent; the fingerprint is shown.
        const unknown = await remoteSlipvault(server, li, ['--json', 'list']);
        expect(unknown.status).toBe(1);
        expect(JSON.parse(unknown.stdout)).toMatchObject({
          ok: false,
          error: { code: 'SERVER_NOT_TRUSTED', details: { reason: 'fingerprint-unknown', presented: server.fingerprint } },
        });
        expect(unknown.stderr).toContain(`run the command again with --fingerprint ${server.fingerprint}`);

        // Pinned with the fingerprint the server printed (typed without colons, in lower case), then remembered.
        const file = await writePng(scans, 'slip.png');
        const pinned = await remoteSlipvault(server, li, ['--json', '--fingerprint', server.fingerprint.replace(/:/g, '').toLowerCase(), 'import', file]);
        expect(pinned.status, pinned.stderr).toBe(0);
        const archiveNo = (JSON.parse(pinned.stdout) as ImportResult).imported[0]!.document.archiveNo;
        const wangPinned = await remoteSlipvault(server, wang, ['--fingerprint', server.fingerprint, 'list'], { SLIPVAULT_USER: 'clerk-wang' });
        expect(wangPinned.status, wangPinned.stderr).toBe(0);
        expect(wangPinned.stdout).toContain(archiveNo);

        // A path outside the server's folder roots is refused before the core sees it.
        const outside = await remoteSlipvault(server, li, ['--json', 'import', await writePng(dir, 'elsewhere.png')]);
        expect(outside.status).toBe(1);
        expect(JSON.parse(outside.stdout)).toMatchObject({ error: { code: 'FORBIDDEN', details: { reason: 'path-outside-server-roots' } } });

        // A third client, logged in over TLS, hears the change one CLI makes.
        const listener = await loggedIn(server, 'clerk-wang');
        const heard: EventMessage[] = [];
        listener.onEvent((message) => heard.push(message));

        const first = await remoteSlipvault(server, li, ['edit', archiveNo, '--set', 'customer=华南贸易', '--base-version', '1']);
        expect(first.status, first.stderr).toBe(0);
        expect(first.stdout).toContain(`${archiveNo} is now version 2.`);

        const second = await remoteSlipvault(server, wang, ['edit', archiveNo, '--set', 'customer=华东物流', 'amount=88.00', '--base-version', '1'], {
          SLIPVAULT_USER: 'clerk-wang',
        });
        expect(second.status).toBe(1);
        expect(second.stderr).toMatch(
          new RegExp(`${archiveNo} was changed by clerk-li at \\d{4}-\\d{2}-\\d{2}T[^ ]+ \\(now version 2; you started from version 1\\)`),
        );
        expect(second.stderr).toContain('review the differences');
        expect(second.stderr).toContain(`${archiveNo}: version 1 → 2\n  customer: ∅ → "华南贸易"`);

        await listener.invoke('auth:status', {});
        expect(heard.filter((message) => message.event === 'documents:changed').map((message) => message.payload)).toContainEqual(
          expect.objectContaining({ archiveNo, version: 2 }),
        );
        const shown = (await listener.invoke('documents:get', { ref: archiveNo })) as CallResult<'documents:get'>;
        expect(shown).toMatchObject({ ok: true, value: { currentVersion: 2, customer: '华南贸易', amount: null } });
        listener.close();
        expect(await server.stop()).toBe(0);
      },
      PROCESS_HEAVY_MS,
    );

    it.sequential(
      'keeps every acknowledged edit when killed with -9 mid-write, and refuses a replaced certificate',
      async () => {
        const dir = tempDir();
        const archive = archiveWithTwoClerks(dir);
        const imported = slipvaultJson<ImportResult>(['--archive', archive, 'import', await writePng(dir, 'slip.png')]);
        const archiveNo = imported.imported[0]!.document.archiveNo;
        const server = await started(archive);
        const workstation = join(dir, 'pc-li');
        expect((await remoteSlipvault(server, workstation, ['--fingerprint', server.fingerprint, 'list'])).status).toBe(0);

        const client = await loggedIn(server, 'clerk-li');
        const acknowledged: number[] = [];
        const cut: CallResult<Method>[] = [];
        // Set inside the lanes: the kill happens while edits are still being sent.
        const killing: { done?: Promise<void> } = {};
        // Four edits in flight at any time, so the kill lands while some are being written.
        await Promise.all(
          [0, 1, 2, 3].map(async (lane) => {
            for (let n = 0; cut.length === 0; n += 1) {
              const result = await client.invoke('documents:edit', { ref: archiveNo, changes: { notes: `lane ${lane} edit ${n}` } });
              if (!result.ok) {
                cut.push(result);
                return;
              }
              acknowledged.push((result.value as DocumentDetail).currentVersion);
              if (acknowledged.length === 40) killing.done = server.kill();
            }
          }),
        );
        await killing.done;
        expect(acknowledged.length).toBeGreaterThanOrEqual(40);
        const gone = cut[0]!;
        expect(gone).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE', details: { reason: expect.stringMatching(/^server-(gone|closed)$/) } } });
        if (!gone.ok) expect(gone.error.message).toContain(server.url);

        const refused = await remoteSlipvault(server, workstation, ['--json', 'list']);
        expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'SERVER_UNREACHABLE' } });
        expect(refused.stderr).toContain(`Cannot reach the SlipVault server ${server.url}: nothing listens on that port`);

        // Restarted on the same address with the same certificate: the pinned workstation reaches it as before.
        const restarted = await started(archive, { port: server.port });
        expect(restarted.fingerprint).toBe(server.fingerprint);
        const history = await remoteSlipvault(restarted, workstation, ['--json', 'history', archiveNo]);
        expect(history.status, history.stderr).toBe(0);
        const versions = (JSON.parse(history.stdout) as VersionSummary[]).map((version) => version.number);
        for (const version of acknowledged) expect(versions).toContain(version);
        const check = await remoteSlipvault(restarted, workstation, ['--json', 'check']);
        expect(check.status, check.stderr).toBe(0);
        expect(JSON.parse(check.stdout) as CheckReport).toMatchObject({ ok: true });
        expect(await restarted.stop()).toBe(0);

        // The certificate replaced (its folder moved away): a new fingerprint, refused with both shown.
        renameSync(join(archive, 'tls'), join(dir, 'old-tls'));
        const replaced = await started(archive, { port: server.port });
        expect(replaced.fingerprint).not.toBe(server.fingerprint);
        const changed = await remoteSlipvault(replaced, workstation, ['--json', 'list']);
        expect(changed.status).toBe(1);
        expect(JSON.parse(changed.stdout)).toMatchObject({
          error: { code: 'SERVER_NOT_TRUSTED', details: { reason: 'fingerprint-changed', pinned: server.fingerprint, presented: replaced.fingerprint } },
        });
        expect(changed.stderr).toContain(`This computer trusts\n  ${server.fingerprint}\nbut the server presented\n  ${replaced.fingerprint}`);
        expect(await replaced.stop()).toBe(0);
      },
      PROCESS_HEAVY_MS,
    );
  });
});
