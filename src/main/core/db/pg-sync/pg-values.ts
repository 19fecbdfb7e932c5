/**
 * Values between JavaScript and PostgreSQL's text protocol, in SQLite's value domain: what better-sqlite3
 * binds is sent as text PostgreSQL reads back as the column's type, and what comes back is decided by the
 * column's type OID so that the core sees what it would see from SQLite (flags 1/0, JSON as its text, blobs
 * as Buffers, integers as numbers).
 */
import type { ParameterSource } from './sql-dialect';

export type BindValue = string | number | bigint | boolean | Buffer | Uint8Array | null | undefined;
export type SqlValue = string | number | Buffer | null;

/** The type OIDs (pg_type.oid, fixed for the built-in types) whose values are not kept as text. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  numeric: 1700,
} as const;

export class BindError extends TypeError {}

function encode(value: BindValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  // 1/0 is what SQLite stores for a flag, and both a boolean and an integer column read '1' and '0'.
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  throw new BindError(`SQL parameters can be numbers, strings, booleans, bigints, Buffers and null; got ${Object.prototype.toString.call(value)}.`);
}

const isNamedValues = (value: unknown): value is Record<string, BindValue> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/**
 * better-sqlite3's argument forms — values, arrays of values, and one object of named values — as the text
 * values of `$1…$n`. Too many or too few values are refused, as better-sqlite3 refuses them.
 */
export function bindParameters(sources: readonly ParameterSource[], args: readonly unknown[]): (string | null)[] {
  const positional: BindValue[] = [];
  let named: Record<string, BindValue> | undefined;
  for (const arg of args) {
    if (Array.isArray(arg)) positional.push(...(arg as BindValue[]));
    else if (isNamedValues(arg)) {
      if (named) throw new BindError('SQL parameters may include at most one object of named values.');
      named = arg;
    } else positional.push(arg as BindValue);
  }
  const expected = sources.reduce((count, source) => (source.kind === 'position' ? Math.max(count, source.index + 1) : count), 0);
  if (positional.length > expected) throw new BindError(`Too many parameter values were provided (${positional.length} for ${expected}).`);
  if (positional.length < expected) throw new BindError(`Too few parameter values were provided (${positional.length} for ${expected}).`);
  return sources.map((source) => {
    if (source.kind === 'position') return encode(positional[source.index]);
    if (!named || !(source.name in named)) throw new BindError(`Missing named parameter "${source.name}".`);
    return encode(named[source.name]);
  });
}

export class ValueRangeError extends RangeError {}

function integer(text: string, column: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new ValueRangeError(`The value ${text} of column ${column} is beyond JavaScript's exact integers (2^53); it cannot be read as a number.`);
  }
  return value;
}

/** The value of one result cell, read from its text as the column's type says. */
export function decodeValue(text: string, typeOid: number, column: string): SqlValue {
  switch (typeOid) {
    case OID.bool:
      return text === 't' ? 1 : 0;
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return integer(text, column);
    case OID.numeric:
      // sum() of integers is numeric in PostgreSQL and an integer in SQLite.
      return /^-?\d+$/.test(text) ? integer(text, column) : Number(text);
    case OID.float4:
    case OID.float8:
      return Number(text);
    case OID.bytea:
      return Buffer.from(text.slice(2), 'hex');
    default:
      return text;
  }
}
