/**
 * The node-postgres pool that searches (PgSyncSearchIndex's pool) and the index rebuild (reindex-worker.ts) run
 * on, with the session settings PgSearchIndex's statements are written for, sent as startup options so every
 * connection of the pool has them from its first statement.
 *
 * `jit = off`: PostgreSQL compiles a plan whose estimated cost passes `jit_above_cost` (100,000), and a broad
 * search's plan passes it on a few hundred thousand documents. Its per-row work is in the tsvector functions,
 * which JIT cannot compile, so compiling only adds time: forced onto bench:search-pg's 100 k archive, it added
 * 34 ms to a single-character search, and 225 ms once the plan also passes the inlining and optimisation
 * thresholds (docs/server-postgres.md, "Measured").
 */
import type pg from 'pg';

const SESSION_OPTIONS = '-c jit=off';

export async function searchPool(url: string, max: number): Promise<pg.Pool> {
  const { default: postgres } = await import('pg');
  return new postgres.Pool({ connectionString: url, max, options: SESSION_OPTIONS });
}
