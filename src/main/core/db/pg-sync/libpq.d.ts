/** The part of the `libpq` binding (synchronous libpq calls, text results) that pg-sync-database.ts uses. */
declare module 'libpq' {
  interface ResultErrorFields {
    sqlState?: string;
    messagePrimary?: string;
    messageDetail?: string;
    constraintName?: string;
  }

  class Libpq {
    connectSync(conninfo: string): void;
    finish(): void;
    errorMessage(): string;
    /** 0 idle, 1 active, 2 in a transaction, 3 in a failed transaction, 4 the connection is bad. */
    transactionStatus(): number;
    exec(text: string): void;
    execParams(text: string, values: (string | null)[]): void;
    resultStatus(): string;
    resultErrorMessage(): string;
    resultErrorFields(): ResultErrorFields | undefined;
    clear(): void;
    ntuples(): number;
    nfields(): number;
    fname(column: number): string;
    ftype(column: number): number;
    getvalue(row: number, column: number): string;
    getisnull(row: number, column: number): boolean;
    cmdTuples(): string;
  }

  export = Libpq;
}
