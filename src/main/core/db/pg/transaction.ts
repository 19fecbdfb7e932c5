/**
 * Where every transaction on the PostgreSQL back end starts, as db/transaction.ts is for SQLite: `work` runs
 * between BEGIN and COMMIT on one client, and anything it throws rolls the whole of it back.
 */
import type pg from 'pg';

export async function inPgTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * A read-only view of one moment for `work` (REPEATABLE READ: every statement sees the same snapshot, while
 * writers go on). Nothing is written, so it always ends with a rollback, also when `work` succeeds.
 */
export async function inPgSnapshot<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await work();
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
