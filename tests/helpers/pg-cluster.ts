/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries (initdb, pg_ctl from
 * /usr/lib/postgresql/<major>/bin), a fresh data folder under the run's temporary folder, listening on
 * 127.0.0.1 only at a free port, password authentication, stopped and removed by `stop()`.
 *
 * PostgreSQL refuses to run as root, so under root (CI containers) the cluster runs as the `postgres` system
 * user that Debian's package creates: the data folder is handed to it, and the folders above it are made
 * traversable (not readable) for it.
 *
 * The test run shares one cluster (tests/helpers/shared-pg-cluster.ts); files that stop or kill the server start their own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** The superuser's connection URL to the `postgres` database. */
  adminUrl: string;
  /** Creates an empty database and returns its connection URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: its connections are cut), keeping its data and port for `resume()`. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface PgClusterOptions {
  /**
   * false: no fsync and no full-page writes. A cluster that lives for one test run never has to survive a crash
   * of the machine, and waiting for the disk on every commit is most of what its small writes cost. Benchmarks
   * and anything measuring PostgreSQL keep the default.
   */
  crashSafe?: boolean;
}

const SUPERUSER = 'slipvault';
const NOT_CRASH_SAFE = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
const POSTGRES_ROOT = '/usr/lib/postgresql';

function serverBinaries(): string {
  const majors = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(`No PostgreSQL server under ${POSTGRES_ROOT}: install Debian's postgresql package (apt-get install -y postgresql).`);
  }
  return join(POSTGRES_ROOT, majors[0]!, 'bin');
}

interface RunAs {
  uid: number;
  gid: number;
}

/** The system user the server runs as: ourselves, or `postgres` when we are root. */
function serverUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('Running as root, but there is no postgres system user to run the test cluster as.');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(binary: string, args: string[], runAs: RunAs | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${binary} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Lets `runAs` walk down to `folder` through folders we own that it could not enter. */
function makeTraversable(folder: string): void {
  const me = userInfo().uid;
  for (let dir = dirname(folder); dir !== dirname(dir); dir = dirname(dir)) {
    const stat = statSync(dir);
    if (stat.uid === me && (stat.mode & 0o001) === 0) chmodSync(dir, (stat.mode & 0o7777) | 0o001);
  }
}

/** The URL of database `name` on the server `adminUrl` points at, as the same user. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates a database on the server `adminUrl` points at, empty or a copy of `template`, and returns its URL. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await asAdmin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`);
  return databaseUrl(adminUrl, name);
}

/** Drops databases, cutting any connection a test left open to them (FORCE) so that none stays behind. */
export async function dropDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  for (const name of names) await asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = serverBinaries();
  const runAs = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'slipvault-pg-'));
  const data = join(root, 'data');
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    makeTraversable(root);
    chownSync(root, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', SUPERUSER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions'],
    runAs,
  );
  rmSync(passwordFile);
  const startOn = (port: number) =>
    run(
      join(bin, 'pg_ctl'),
      [
        '-D',
        data,
        '-l',
        join(root, 'server.log'),
        '-w',
        '-o',
        `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories='${root}'${options.crashSafe === false ? ` ${NOT_CRASH_SAFE}` : ''}`,
        'start',
      ],
      runAs,
    );
  // A port taken between choosing and binding makes pg_ctl fail; choose again.
  let port = 0;
  for (let attempt = 0; ; attempt += 1) {
    port = await freePort();
    try {
      await startOn(port);
      break;
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
  const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    createDatabase: (name) => createDatabase(adminUrl, name),
    halt: () => run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], runAs),
    resume: () => startOn(port),
    async stop() {
      try {
        await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], runAs);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
