/**
 * One PostgreSQL cluster for the whole vitest run instead of one per test file: starting a cluster (initdb,
 * pg_ctl) costs several seconds of the two CI cores, and every file on both back ends paid it. The global
 * setup starts it while dist is built and stops it at the end of the run; each test file makes databases in it
 * whose names no other file, in this fork or another, can choose, and drops them when it ends.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { createDatabase, dropDatabases, startPgCluster, type PgCluster } from './pg-cluster';

/** What the global setup hands the test files: where the cluster is, or why there is none. */
export type SharedPgCluster = { adminUrl: string } | { unavailable: string };

declare module 'vitest' {
  export interface ProvidedContext {
    sharedPgCluster: SharedPgCluster;
  }
}

export interface StartedSharedPgCluster {
  provided: SharedPgCluster;
  stop(): Promise<void>;
}

/**
 * Starts the run's cluster. A machine without PostgreSQL can still run every SQLite-only test, so a failure
 * to start is not thrown here but handed on, and said by the first test that needs the cluster.
 */
export async function startSharedPgCluster(): Promise<StartedSharedPgCluster> {
  let cluster: PgCluster;
  try {
    cluster = await startPgCluster({ crashSafe: false });
  } catch (error) {
    return { provided: { unavailable: (error as Error).message }, stop: async () => {} };
  }
  return { provided: { adminUrl: cluster.adminUrl }, stop: () => cluster.stop() };
}

export interface SharedPgDatabases {
  /** A new database in the shared cluster, empty or a copy of `template` (a URL from `create`); its URL. */
  create(template?: string): Promise<string>;
}

/** Call at collection time (in a describe block): the databases made through it are dropped after that block. */
export function useSharedPgDatabases(): SharedPgDatabases {
  const shared = inject('sharedPgCluster') as SharedPgCluster | undefined;
  const prefix = `t${process.pid}_${randomBytes(4).toString('hex')}`;
  const made: string[] = [];
  afterAll(async () => {
    if (shared && 'adminUrl' in shared) await dropDatabases(shared.adminUrl, made.splice(0));
  });
  return {
    async create(template) {
      if (!shared) throw new Error('No shared PostgreSQL cluster in this run: tests/global-setup.ts starts it (vitest.config.mts globalSetup).');
      if ('unavailable' in shared) throw new Error(`The shared PostgreSQL cluster of this run did not start: ${shared.unavailable}`);
      const name = `${prefix}_${made.length + 1}`;
      made.push(name);
      return createDatabase(shared.adminUrl, name, template && decodeURIComponent(new URL(template).pathname.slice(1)));
    },
  };
}
