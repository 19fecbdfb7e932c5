/**
 * `npm run bench:search-pg [-- --n 100000]`: bench:search's workload on PostgreSQL beside SQLite. One generated
 * archive (bench/search-corpus.ts) is indexed in SQLite (FTS5), copied into a throwaway PostgreSQL cluster on
 * loopback (tests/helpers/pg-cluster.ts) and indexed there (tsvector + GIN, search/pg-search-index.ts); the same
 * query mix then runs through SearchIndex and PgSearchIndex, each query's full result set on PostgreSQL is
 * checked against the brute-force truth, and latencies are compared. Target: recall 100 %, PostgreSQL's p95
 * within 2× of SQLite's. Writes bench/results/search-pg.md and search-pg.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initArchive } from '../src/main/core/archive';
import { copyArchiveTables } from '../src/main/core/db/pg/copy-tables';
import { migratePg } from '../src/main/core/db/pg/migrate';
import { PgSearchIndex } from '../src/main/core/search/pg-search-index';
import { searchPool } from '../src/main/core/search/pg-search-pool';
import { startPgCluster } from '../tests/helpers/pg-cluster';
import { bruteForceTruth, generateCorpus, queryMix, type BenchQuery, type QueryKind } from './search-corpus';
import { loadCorpus } from './search-fixture';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--n') + 1] ?? 0) || 100_000;
const RUNS = 3;
/** PostgreSQL's p95 over all queries may be at most this many times SQLite's. */
const TARGET_RATIO = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dir = join(tmpdir(), `slipvault-bench-search-pg-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const archive = await initArchive(dir, { actor: 'bench' });
  const cluster = await startPgCluster();
  const pool = await searchPool(await cluster.createDatabase('bench'), 1);
  try {
    console.error(`generating ${count} documents…`);
    const corpus = generateCorpus(count);
    loadCorpus(archive.connection.sqlite, corpus);
    console.error('SQLite: building the index…');
    let started = performance.now();
    archive.search.reindex(() => undefined, { restart: true });
    const sqliteBuildSeconds = (performance.now() - started) / 1000;

    console.error('PostgreSQL: migrating and copying the archive…');
    const client = await pool.connect();
    started = performance.now();
    try {
      await migratePg(client);
      await copyArchiveTables(archive.connection.sqlite, client);
    } finally {
      client.release();
    }
    const copySeconds = (performance.now() - started) / 1000;
    console.error('PostgreSQL: building the index…');
    const pgSearch = new PgSearchIndex(pool);
    started = performance.now();
    await pgSearch.reindex(
      (done, total) => {
        if (done % 20_000 === 0 || done === total) console.error(`  ${done}/${total}`);
      },
      { restart: true },
    );
    const pgBuildSeconds = (performance.now() - started) / 1000;
    const sizes = await pool.query<{ table: string; indexes: string }>(
      "SELECT pg_table_size('search_index') AS table, pg_indexes_size('search_index') AS indexes",
    );
    const pgIndexMiB = round((Number(sizes.rows[0]!.table) + Number(sizes.rows[0]!.indexes)) / 2 ** 20, 1);

    const queries = queryMix(corpus);
    console.error(`${queries.length} queries: brute-force truth, then every full result set on PostgreSQL…`);
    const truthSets = bruteForceTruth(corpus, queries);
    const accuracy = new Map<BenchQuery, { recall: number; precision: number; pageCorrect: boolean; truth: number }>();
    for (const query of queries) {
      const truth = new Set(truthSets.get(query.query)!);
      const ours = await pgSearch.matchingIds(query.query);
      const hit = ours.filter((id) => truth.has(id)).length;
      const page = await pgSearch.search({ query: query.query, limit: 20, offset: 0, facets: false });
      accuracy.set(query, {
        truth: truth.size,
        recall: truth.size === 0 ? 1 : hit / truth.size,
        precision: ours.length === 0 ? 1 : hit / ours.length,
        pageCorrect: page.total === truth.size && page.hits.length === Math.min(20, truth.size) && page.hits.every((h) => truth.has(h.document.id)),
      });
    }

    console.error('timing…');
    const loadBefore = loadavg()[0]!;
    const times = {
      sqlite: new Map<BenchQuery, number[]>(),
      pg: new Map<BenchQuery, number[]>(),
      sqliteFacets: new Map<BenchQuery, number[]>(),
      pgFacets: new Map<BenchQuery, number[]>(),
    };
    const record = (map: Map<BenchQuery, number[]>, query: BenchQuery, ms: number) => map.set(query, [...(map.get(query) ?? []), ms]);
    for (let run = 0; run < RUNS; run += 1) {
      console.error(`  run ${run + 1}/${RUNS}`);
      for (const query of queries) {
        let at = performance.now();
        archive.search.search({ query: query.query, limit: 20, offset: 0, facets: false });
        record(times.sqlite, query, performance.now() - at);
        at = performance.now();
        await pgSearch.search({ query: query.query, limit: 20, offset: 0, facets: false });
        record(times.pg, query, performance.now() - at);
        at = performance.now();
        archive.search.facets(query.query);
        record(times.sqliteFacets, query, performance.now() - at);
        at = performance.now();
        await pgSearch.facets(query.query);
        record(times.pgFacets, query, performance.now() - at);
      }
    }
    const loadAfter = loadavg()[0]!;

    const summarise = (subset: BenchQuery[]) => {
      const sorted = (map: Map<BenchQuery, number[]>) => subset.map((q) => median(map.get(q)!)).sort((a, b) => a - b);
      const sqlite = sorted(times.sqlite);
      const postgres = sorted(times.pg);
      const sqliteFacets = sorted(times.sqliteFacets);
      const pgFacets = sorted(times.pgFacets);
      const acc = subset.map((q) => accuracy.get(q)!);
      return {
        queries: subset.length,
        sqliteP50: round(percentile(sqlite, 50)),
        sqliteP95: round(percentile(sqlite, 95)),
        pgP50: round(percentile(postgres, 50)),
        pgP95: round(percentile(postgres, 95)),
        ratioP95: round(percentile(postgres, 95) / Math.max(percentile(sqlite, 95), 0.001)),
        sidebarSqliteP95: round(percentile(sqliteFacets, 95)),
        sidebarPgP95: round(percentile(pgFacets, 95)),
        recall: round(Math.min(...acc.map((a) => a.recall)) * 100, 2),
        precision: round(Math.min(...acc.map((a) => a.precision)) * 100, 2),
        avgHits: Math.round(acc.reduce((sum, a) => sum + a.truth, 0) / acc.length),
      };
    };
    const kinds: QueryKind[] = ['cjk-1', 'cjk-2', 'phrase', 'english', 'slip-prefix', 'fields+date', 'no-hit'];
    const rows = [...kinds.map((kind) => ({ kind, ...summarise(queries.filter((q) => q.kind === kind)) })), { kind: 'all', ...summarise(queries) }];
    const all = rows[rows.length - 1]!;
    const failures = queries.filter((q) => {
      const a = accuracy.get(q)!;
      return a.recall < 1 || a.precision < 1 || !a.pageCorrect;
    });
    const meetsTarget = failures.length === 0 && all.ratioP95 <= TARGET_RATIO;

    const postgresVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    const result = {
      documents: count,
      sqliteBuildSeconds: round(sqliteBuildSeconds, 1),
      copySeconds: round(copySeconds, 1),
      pgBuildSeconds: round(pgBuildSeconds, 1),
      pgBuildDocsPerSecond: Math.round(count / pgBuildSeconds),
      pgIndexMiB,
      runsPerQuery: RUNS,
      loadAverage: [round(loadBefore, 1), round(loadAfter, 1)],
      targetRatioP95: TARGET_RATIO,
      meetsTarget,
      rows,
      failures: failures.map((q) => ({ query: q.query, ...accuracy.get(q)! })),
      node: process.version,
      postgres: postgresVersion,
    };
    const table = [
      '| queries | n | SQLite p50 ms | SQLite p95 ms | PostgreSQL p50 ms | PostgreSQL p95 ms | PG/SQLite p95 | sidebar SQLite p95 | sidebar PG p95 | PG recall (min) | PG precision (min) | avg hits |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.kind} | ${r.queries} | ${r.sqliteP50} | ${r.sqliteP95} | ${r.pgP50} | ${r.pgP95} | ${r.ratioP95}× | ${r.sidebarSqliteP95} | ${r.sidebarPgP95} | ${r.recall} % | ${r.precision} % | ${r.avgHits} |`,
      ),
    ].join('\n');
    const markdown = [
      `# bench:search-pg — ${count.toLocaleString('en')} documents, PostgreSQL beside SQLite`,
      '',
      `SQLite index build ${result.sqliteBuildSeconds} s. PostgreSQL ${postgresVersion} (throwaway cluster on 127.0.0.1, default server settings; the search pool's connections with jit off, search/pg-search-pool.ts): copy ${result.copySeconds} s, index build ${result.pgBuildSeconds} s = **${result.pgBuildDocsPerSecond} docs/s**, search_index with its GIN indexes ${pgIndexMiB} MiB.`,
      `Latency: one search = parse + page of 20 by relevance + total + snippets/page hits, through SearchIndex (SQLite, in-process) and PgSearchIndex (PostgreSQL over a loopback TCP connection); "sidebar" = the search:facets call. Median of ${RUNS} runs per query, percentiles over queries. Recall/precision: PostgreSQL's full result set vs a brute-force scan of the corpus.`,
      '',
      table,
      '',
      `Target: recall 100 % and PostgreSQL's p95 within ${TARGET_RATIO}× of SQLite's over all queries — ${meetsTarget ? '**met**' : '**not met**'} (${all.ratioP95}×). Machine load (1-minute average, 2 cores) at the start and end of timing: ${result.loadAverage.join(' / ')}.`,
      '',
      failures.length === 0
        ? "Every query's full result set on PostgreSQL equalled the brute-force one, and its first page showed the same total and only true matches."
        : `Queries that differ from brute force: ${JSON.stringify(result.failures)}`,
      '',
      `Node ${result.node}.`,
      '',
    ].join('\n');
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    const suffix = count === 100_000 ? '' : `-${count / 1000}k`;
    writeFileSync(join(out, `search-pg${suffix}.md`), markdown);
    writeFileSync(join(out, `search-pg${suffix}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(markdown);
  } finally {
    archive.close();
    await pool.end();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
