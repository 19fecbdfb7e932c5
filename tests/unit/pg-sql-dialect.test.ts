/** SQLite's SQL into PostgreSQL's (core/db/pg-sync/sql-dialect.ts): the placeholders and each rewrite of its table. */
import { describe, expect, it } from 'vitest';
import { REWRITES, translateSql, UnsupportedSqlError } from '../../src/main/core/db/pg-sync/sql-dialect';

describe('placeholders', () => {
  it('number anonymous ? in order', () => {
    expect(translateSql('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
      parameters: [0, 1, 2].map((index) => ({ kind: 'position', index })),
    });
  });

  it('give ?NNN its own position, reused where it repeats', () => {
    expect(translateSql('SELECT ?2, ?1, ?2')).toEqual({
      text: 'SELECT $1, $2, $1',
      parameters: [
        { kind: 'position', index: 1 },
        { kind: 'position', index: 0 },
      ],
    });
  });

  it('turn @name, :name and $name into one $n per name', () => {
    expect(translateSql('UPDATE t SET a = @first, b = :second WHERE c = $first')).toEqual({
      text: 'UPDATE t SET a = $1, b = $2 WHERE c = $1',
      parameters: [
        { kind: 'name', name: 'first' },
        { kind: 'name', name: 'second' },
      ],
    });
  });

  it('leave question marks and colons inside strings, quoted names and comments alone', () => {
    const sql = `SELECT '?:a@b', "odd?name" -- why? :x\nFROM t /* ? */ WHERE a = ?`;
    expect(translateSql(sql).text).toBe(`SELECT '?:a@b', "odd?name" -- why? :x\nFROM t /* ? */ WHERE a = $1`);
    expect(translateSql("SELECT 'it''s ?'").text).toBe("SELECT 'it''s ?'");
    // PostgreSQL's casts, in the SQL written for both back ends, are not named parameters.
    expect(translateSql('SELECT CAST(? AS tsvector), ?::integer').text).toBe('SELECT CAST($1 AS tsvector), $2::integer');
  });
});

describe('rewrites', () => {
  const rewrite = (name: string) => {
    const found = REWRITES.find((entry) => entry.name === name);
    if (!found) throw new Error(`no rewrite ${name}`);
    return found;
  };

  it('each says why it is safe', () => {
    for (const entry of REWRITES) expect(entry.why.length).toBeGreaterThan(40);
  });

  it(rewrite('camelCase identifiers are quoted').name, () => {
    expect(translateSql('SELECT d.archive_no AS archiveNo, typeCode FROM documents d ORDER BY archiveNo').text).toBe(
      'SELECT d.archive_no AS "archiveNo", "typeCode" FROM documents d ORDER BY "archiveNo"',
    );
    // Keywords in either case, snake_case names and names already quoted stay as they are.
    expect(translateSql('Select "typeCode", signed_date FROM documents').text).toBe('Select "typeCode", signed_date FROM documents');
  });

  it(rewrite('LIKE becomes ILIKE').name, () => {
    expect(translateSql("SELECT 1 FROM t WHERE a like ? AND b NOT LIKE '%Like%'").text).toBe("SELECT 1 FROM t WHERE a ILIKE $1 AND b NOT ILIKE '%Like%'");
  });

  it(rewrite('ifnull becomes coalesce').name, () => {
    expect(translateSql('SELECT IFNULL(a, 0), ifnull(b, ?) FROM t').text).toBe('SELECT coalesce(a, 0), coalesce(b, $1) FROM t');
  });

  it(rewrite('SQLite’s planner hints are dropped').name, () => {
    expect(translateSql('SELECT r.id FROM ledger_rows r INDEXED BY by_date WHERE +r.due >= ? AND r.a + r.b > 1 ORDER BY +r.due').text).toBe(
      'SELECT r.id FROM ledger_rows r    WHERE r.due >= $1 AND r.a + r.b > 1 ORDER BY r.due',
    );
    expect(translateSql('SELECT x FROM t NOT INDEXED WHERE (+x = 2)').text).toBe('SELECT x FROM t   WHERE (x = 2)');
  });

  it(rewrite('instr becomes strpos').name, () => {
    expect(translateSql('SELECT seq FROM audit_events WHERE instr(details, ?) > 0').text).toBe('SELECT seq FROM audit_events WHERE strpos(details, $1) > 0');
  });

  it(rewrite('INSERT OR IGNORE becomes INSERT … ON CONFLICT DO NOTHING').name, () => {
    expect(translateSql('INSERT OR IGNORE INTO tags (name) VALUES (?)').text).toBe('INSERT   INTO tags (name) VALUES ($1) ON CONFLICT DO NOTHING ');
    expect(translateSql('insert or ignore into tags (name) select name from x returning id').text).toBe(
      'insert   into tags (name) select name from x  ON CONFLICT DO NOTHING returning id',
    );
    expect(translateSql('INSERT OR IGNORE INTO a VALUES (1); INSERT INTO b VALUES (2)').text).toBe(
      'INSERT   INTO a VALUES (1) ON CONFLICT DO NOTHING ; INSERT INTO b VALUES (2)',
    );
    expect(() => translateSql('INSERT OR REPLACE INTO t VALUES (1)')).toThrow(UnsupportedSqlError);
    expect(() => translateSql('REPLACE INTO t VALUES (1)')).toThrow(/REPLACE INTO has no PostgreSQL equivalent/);
  });

  it(rewrite('the conflict target names bare columns').name, () => {
    expect(translateSql('insert into "seq" ("year", "n") values (?, ?) on conflict ("seq"."year", "seq"."kind") do update set "n" = "seq"."n" + 1').text).toBe(
      'insert into "seq" ("year", "n") values ($1, $2) on conflict ("year", "kind") do update set "n" = "seq"."n" + 1',
    );
  });

  it(rewrite('a NULL id in a drizzle insert becomes DEFAULT').name, () => {
    expect(translateSql('insert into "tags" ("id", "name", "note") values (null, ?, null), (null, ?, null) returning "id"').text).toBe(
      'insert into "tags" ("id", "name", "note") values (default, $1, null), (default, $2, null) returning "id"',
    );
    // Only the id column, and only drizzle's literal null: a bound NULL and other columns are left alone.
    expect(translateSql('insert into "tags" ("name", "id") values (null, ?)').text).toBe('insert into "tags" ("name", "id") values (null, $1)');
    expect(translateSql('insert into "tags" ("name", "id") values (lower(?), null)').text).toBe(
      'insert into "tags" ("name", "id") values (lower($1), default)',
    );
  });
});
