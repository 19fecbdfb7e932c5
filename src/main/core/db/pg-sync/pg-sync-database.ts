/**
 * A synchronous PostgreSQL connection that stands in for better-sqlite3's Database, so the core's raw
 * statements and drizzle's better-sqlite3 driver (which calls `prepare(sql)` and then `.run/.get/.all/.raw()`)
 * run unchanged on PostgreSQL. It speaks through libpq's blocking calls (the `libpq` binding), like the SQLite
 * connection blocks on its file: the core's code stays synchronous on both back ends.
 *
 * What it does that SQLite did: placeholders and SQLite's SQL are translated (sql-dialect.ts), values come back
 * in SQLite's value domain (pg-values.ts), failures carry SQLite's codes (pg-errors.ts), and transactions have
 * better-sqlite3's semantics — `transaction(fn)` with `.deferred/.immediate/.exclusive`, nesting through
 * savepoints, rollback on throw. An immediate (or exclusive) transaction takes one advisory lock, held to its
 * end: the writers of one database then take turns as SQLite's do, and each reads the audit chain's head
 * knowing no other writer appends meanwhile. A deferred transaction reads one snapshot (REPEATABLE READ), as a
 * deferred SQLite transaction does; a write in it that meets another's commit fails as SQLITE_BUSY, as SQLite's
 * does.
 */
import { createRequire } from 'node:module';
import type Libpq from 'libpq';
import { connectionLost, statementError } from './pg-errors';
import { bindParameters, decodeValue, type SqlValue } from './pg-values';
import { translateSql, UnsupportedSqlError, type TranslatedSql } from './sql-dialect';

/**
 * Any fixed number: every writer of an archive database takes this lock for its write transactions (the
 * search rebuild's worker too, search/pg-search-index.ts).
 */
export const WRITER_LOCK = 7_321_050;

/**
 * The bundles are CommonJS and keep `require("libpq")` literal, which is how packaging finds the package; the
 * sources run as ES modules under the tests, where `require` is undefined.
 */
const esmRequire = typeof require === 'function' ? null : createRequire(import.meta.url);

/** Loaded on first connection, not at import, so the SQLite back end never needs the native binding. */
function libpqBinding(): typeof Libpq {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  return esmRequire ? (esmRequire('libpq') as typeof Libpq) : (require('libpq') as typeof Libpq);
}

/** SQLSTATE classes 08 (connection exception) and 57P01–57P03 (the server shutting down or starting). */
const SERVER_ENDING_SESSION = /^(08|57P0[123])/;

/** How long a reconnection waits for the server: the server's event loop waits with it. */
const RECONNECT_TIMEOUT_S = 5;

function withConnectTimeout(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('connect_timeout')) parsed.searchParams.set('connect_timeout', String(RECONNECT_TIMEOUT_S));
  return parsed.toString();
}

/** libpq's PQTRANS_IDLE and PQTRANS_UNKNOWN (the connection is bad). */
const TRANSACTION_IDLE = 0;
const CONNECTION_BAD = 4;

export interface RunResult {
  changes: number;
}

type Row = Record<string, SqlValue>;
type Mode = 'objects' | 'raw' | 'pluck';
type Behaviour = 'deferred' | 'immediate' | 'exclusive';

interface Result {
  columns: string[];
  rows: SqlValue[][];
  changes: number;
}

export type TransactionFunction<A extends unknown[], T> = ((...args: A) => T) & {
  deferred: (...args: A) => T;
  immediate: (...args: A) => T;
  exclusive: (...args: A) => T;
  default: (...args: A) => T;
};

export class PgSyncStatement {
  private mode: Mode = 'objects';

  constructor(
    private readonly database: PgSyncDatabase,
    readonly source: string,
    private readonly translated: TranslatedSql,
  ) {}

  /** Rows as arrays of values. */
  raw(toggle = true): this {
    this.mode = toggle ? 'raw' : 'objects';
    return this;
  }

  /** Only the first column's value of each row. */
  pluck(toggle = true): this {
    this.mode = toggle ? 'pluck' : 'objects';
    return this;
  }

  run(...args: unknown[]): RunResult {
    return { changes: this.execute(args).changes };
  }

  get(...args: unknown[]): unknown {
    return this.all(...args)[0];
  }

  all(...args: unknown[]): unknown[] {
    const { columns, rows } = this.execute(args);
    if (this.mode === 'raw') return rows;
    if (this.mode === 'pluck') return rows.map((row) => row[0]);
    return rows.map((row) => {
      const object: Row = {};
      for (const [index, column] of columns.entries()) object[column] = row[index]!;
      return object;
    });
  }

  *iterate(...args: unknown[]): IterableIterator<unknown> {
    yield* this.all(...args);
  }

  private execute(args: unknown[]): Result {
    return this.database.execute(this.translated.text, bindParameters(this.translated.parameters, args), this.source);
  }
}

export class PgSyncDatabase {
  private pq: Libpq;
  /** Set when the server ended the session; the connection may not look bad until it is used again. */
  private dropped = false;
  private depth = 0;
  open = false;

  /**
   * @param url a postgres:// URL (libpq reads the other PG… variables, PGPASSWORD among them, for what it lacks)
   * @param name how messages name the database: the URL without its password
   * @param options.timeout how many milliseconds a statement waits for a lock another connection holds before it
   *   fails as SQLITE_BUSY: better-sqlite3's `timeout` (the archive's connection waits 5 s on both back ends; PostgreSQL's
   *   lock_timeout 0 would wait forever, so 0 waits 1 ms)
   */
  constructor(
    readonly url: string,
    readonly name: string,
    private readonly options: { timeout?: number } = {},
  ) {
    const LibpqBinding = libpqBinding();
    this.pq = new LibpqBinding();
    this.pq.connectSync(url);
    this.open = true;
    this.configureSession();
  }

  private configureSession(): void {
    this.exec(`SET lock_timeout = ${Math.max(1, Math.trunc(this.options.timeout ?? 5000))}; SET client_encoding = 'UTF8'`);
  }

  /**
   * Whether a transaction is open on the connection, as better-sqlite3's `inTransaction`. A lost connection has
   * none: the server rolled it back (and callers that wait for the end of a transaction must not wait on it).
   */
  get inTransaction(): boolean {
    return this.open && !this.connectionLost() && this.pq.transactionStatus() !== TRANSACTION_IDLE;
  }

  prepare(sql: string): PgSyncStatement {
    this.assertOpen();
    return new PgSyncStatement(this, sql, translateSql(sql));
  }

  /** Runs one or more statements without parameters. */
  exec(sql: string): this {
    this.assertOpen();
    this.reconnectIfLost();
    const translated = translateSql(sql);
    if (translated.parameters.length > 0) throw new UnsupportedSqlError('exec() takes no parameters; prepare the statement instead.');
    this.pq.exec(translated.text);
    this.readResult(sql);
    return this;
  }

  /**
   * better-sqlite3's `pragma()`. Reading `user_version` (the schema version, db/migrate.ts) is answered from
   * PostgreSQL's bookkeeping of applied migrations (db/pg/migrate.ts); every other PRAGMA is SQLite's own and
   * refused by name, so code that needs one on PostgreSQL is found at once.
   */
  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    if (source.trim() === 'user_version') {
      const version = this.prepare('SELECT count(*) AS user_version FROM slipvault_migrations');
      return options.simple ? version.pluck().get() : version.all();
    }
    throw new UnsupportedSqlError(`PRAGMA ${source} is SQLite's; the PostgreSQL back end has no equivalent.`);
  }

  transaction<A extends unknown[], T>(work: (...args: A) => T): TransactionFunction<A, T> {
    const as =
      (behaviour: Behaviour) =>
      (...args: A): T =>
        this.runTransaction(behaviour, () => work(...args));
    return Object.assign(as('deferred'), { deferred: as('deferred'), immediate: as('immediate'), exclusive: as('exclusive'), default: as('deferred') });
  }

  close(): this {
    if (this.open) this.pq.finish();
    this.open = false;
    return this;
  }

  /** One statement with its text values; the rows decoded into SQLite's value domain. */
  execute(text: string, values: (string | null)[], source: string): Result {
    this.assertOpen();
    this.reconnectIfLost();
    this.pq.execParams(text, values);
    return this.readResult(source);
  }

  private runTransaction<T>(behaviour: Behaviour, work: () => T): T {
    const savepoint = this.depth > 0 ? `slipvault_${this.depth}` : null;
    if (savepoint) this.exec(`SAVEPOINT ${savepoint}`);
    else if (behaviour === 'deferred') this.begin('BEGIN ISOLATION LEVEL REPEATABLE READ');
    else {
      try {
        this.begin(`BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
      } catch (error) {
        // The lock was not had in time: the transaction BEGIN opened must not stay open behind the error.
        if (this.open && !this.connectionLost()) this.exec('ROLLBACK');
        throw error;
      }
    }
    this.depth += 1;
    let result: T;
    try {
      result = work();
      if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
    } catch (error) {
      this.depth -= 1;
      if (this.open && !this.connectionLost()) {
        this.exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` : 'ROLLBACK');
      }
      throw error;
    }
    this.depth -= 1;
    this.exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
    return result;
  }

  // --- Reconnecting after the server went away (issue 20 item 2: a server outlives a PostgreSQL restart). ---

  /**
   * A connection the server dropped (a restart, a network cut) stays bad; outside a transaction nothing is
   * lost by opening a new one, so the first request after the server is back works again. While it is down
   * each request fails as SERVER_UNREACHABLE, after at most RECONNECT_TIMEOUT_S.
   */
  private reconnectIfLost(): void {
    if (this.depth > 0 || !this.connectionLost()) return;
    const LibpqBinding = libpqBinding();
    const fresh = new LibpqBinding();
    try {
      fresh.connectSync(withConnectTimeout(this.url));
    } catch (error) {
      throw connectionLost(this.name, (error as Error).message.trim() || 'no answer');
    }
    this.pq.finish();
    this.pq = fresh;
    this.dropped = false;
    this.configureSession();
  }

  /** The connection is bad, or the server said it is ending it (a shutdown or restart ends every session). */
  private connectionLost(): boolean {
    return this.dropped || this.pq.transactionStatus() === CONNECTION_BAD;
  }

  /**
   * Starts a transaction; when the connection turns out to have been dropped since the last request, once
   * more on a new one — nothing of the transaction had reached the server.
   */
  private begin(sql: string): void {
    try {
      this.exec(sql);
    } catch (error) {
      if (!this.connectionLost()) throw error;
      this.exec(sql);
    }
  }

  private readResult(sql: string): Result {
    const status = this.pq.resultStatus();
    if (status === 'PGRES_COMMAND_OK' || status === 'PGRES_TUPLES_OK') {
      const columns = Array.from({ length: this.pq.nfields() }, (_, index) => this.pq.fname(index));
      const types = columns.map((_, index) => this.pq.ftype(index));
      const rows = Array.from({ length: this.pq.ntuples() }, (_, row) =>
        columns.map((column, index) => (this.pq.getisnull(row, index) ? null : decodeValue(this.pq.getvalue(row, index), types[index]!, column))),
      );
      return { columns, rows, changes: Number(this.pq.cmdTuples()) || 0 };
    }
    const sqlState = this.pq.resultErrorFields()?.sqlState ?? '';
    if (SERVER_ENDING_SESSION.test(sqlState)) this.dropped = true;
    if (this.connectionLost()) {
      throw connectionLost(this.name, (this.pq.resultErrorMessage() || this.pq.errorMessage()).trim() || 'no answer');
    }
    throw statementError(this.pq.resultErrorFields() ?? {}, this.pq.resultErrorMessage() || this.pq.errorMessage(), sql);
  }

  private assertOpen(): void {
    if (!this.open) throw new TypeError('The database connection is not open');
  }
}
