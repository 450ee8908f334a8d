// The dashboard's queries over a year of calls: 1,000,000 calls on three lines, spread evenly over 365 days,
// on SQLite (a file, as the service keeps it) and on PostgreSQL (started by this script on loopback). The calls
// are written by SQL, then counted into the per-hour counts as the service keeps them (the same statements). Each query
// is run as the dashboard runs it, for the last 30 days (its widest range) on all lines and on one line,
// several times; prints one JSON line with p50/p99 per query and backend. Run by bench/run.ts (part
// "dashboard"), or alone: node --import tsx bench/dashboard-queries.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { sqliteSqlRunner } from '../src/storage/sqlite/sqlite-sql-runner.js';
import { PostgresDatabase } from '../src/storage/postgres/postgres-database.js';
import { postgresSqlRunner } from '../src/storage/postgres/postgres-sql-runner.js';
import { resolveRange } from '../src/admin/dashboard-range.js';
import { csvLines } from '../src/admin/dashboard-csv.js';
import { SqlCallHistory, type SqlRunner } from '../src/history/sql-call-history.js';
import {
  agentsQuery,
  failuresQuery,
  nowQuery,
  pageQuery,
  seriesQuery,
  totalsQuery,
} from '../src/history/history-reads.js';
import { startPostgres } from '../test/servers/postgres-server.js';
import { contributions, STAT_COLUMNS } from '../src/history/history-stats.js';
import { DURATION_EDGES_MS, SETUP_EDGES_MS } from '../src/protocol/dashboard.js';
import { percentile, round } from './processes.js';

const CALLS = Number(process.env.DASHBOARD_CALLS ?? 1_000_000);
const RUNS = Number(process.env.DASHBOARD_RUNS ?? 25);
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 18);
const STEP = Math.floor((365 * DAY) / CALLS);

/**
 * The generated calls, as SQL over a sequence `i` (0 … CALLS−1) with its time `t`: most connect, some through
 * TURN, one in 25 invitations fails, setup times and durations spread over every bar of the histograms.
 */
const COLUMNS = `created_at, room_id, line, expires_at, source, host, guest, host_name, guest_name, reached_by,
  host_invitation, guest_invitation, failure_code, host_joined_at, guest_joined_at, host_browser, host_platform,
  guest_browser, guest_platform, connected_at, setup_ms, path, ended_at, ended_by`;
const VALUES = `t, 'r' || i, CASE i % 3 WHEN 0 THEN 'main' WHEN 1 THEN 'ventas' ELSE 'soporte' END, t + ${DAY},
  'whatsapp', '57******1234', '57******5678', 'Ana', 'Luis', CASE WHEN i % 10 < 7 THEN 'button' ELSE 'template' END,
  'read', CASE WHEN i % 25 = 0 THEN 'failed' ELSE 'read' END,
  CASE WHEN i % 25 = 0 THEN CASE WHEN i % 2 = 0 THEN 131047 ELSE 131026 END END,
  CASE WHEN i % 25 <> 0 THEN t + 40000 END, CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN t + 90000 END,
  CASE WHEN i % 25 <> 0 THEN CASE i % 4 WHEN 0 THEN 'Safari' ELSE 'Chrome' END END,
  CASE WHEN i % 25 <> 0 THEN CASE i % 4 WHEN 0 THEN 'iOS' WHEN 1 THEN 'Windows' ELSE 'Android' END END,
  CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN 'Chrome' END, CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN 'Android' END,
  CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN t + 92000 END,
  CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN 300 + (i * 7919) % 25000 END,
  CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN CASE WHEN i % 6 = 0 THEN 'relay' ELSE 'direct' END END,
  CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN t + 92000 + (i * 104729) % 4000000 END,
  CASE WHEN i % 5 <> 0 AND i % 25 <> 0 THEN 'host' END`;
const FROM = NOW - 365 * DAY;

const when = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
const bars = (value: string, present: string, edges: readonly number[]) =>
  [...edges, Infinity].map((edge, index) =>
    when(
      `${present} AND ${value} >= ${edges[index - 1] ?? -1}${edge === Infinity ? '' : ` AND ${value} < ${edge}`}`,
    ),
  );
const both = (condition: (p: string) => string) => `${when(condition('host'))} + ${when(condition('guest'))}`;
const joined = (p: string) => `${p}_invitation IS NOT NULL AND ${p}_joined_at IS NOT NULL`;

/**
 * The per-hour counts of the seeded calls (spread over 8 slots, as the service spreads them), as one aggregation
 * per table (the service counts call by call as
 * they change; measure() checks that both give the same figures).
 */
const COUNT_SEEDED = [
  `INSERT INTO call_stats (hour, line, slot, ${STAT_COLUMNS.join(', ')})
   SELECT created_at / ${3_600_000}, line, CAST(substr(room_id, 2) AS INTEGER) % 8, COUNT(*), ${when('connected_at IS NOT NULL')},
     ${when('failure_code IS NOT NULL AND connected_at IS NULL')}, ${when('declined_at IS NOT NULL')},
     ${when('cancelled_at IS NOT NULL')}, ${when("path = 'relay'")}, ${both((p) => `${p}_invitation IS NOT NULL`)},
     ${both((p) => `${p}_invitation IN ('sent', 'delivered', 'read')`)},
     ${both((p) => `${p}_invitation IN ('delivered', 'read')`)}, ${both((p) => `${p}_invitation = 'read'`)},
     ${both(joined)}, ${bars('setup_ms', 'setup_ms IS NOT NULL', SETUP_EDGES_MS).join(', ')},
     ${bars('ended_at - connected_at', 'ended_at IS NOT NULL AND connected_at IS NOT NULL', DURATION_EDGES_MS).join(', ')}
   FROM call_history GROUP BY 1, 2, 3`,
  `INSERT INTO call_failures (hour, line, slot, code, calls)
   SELECT created_at / ${3_600_000}, line, CAST(substr(room_id, 2) AS INTEGER) % 8, failure_code, COUNT(*) FROM call_history
   WHERE failure_code IS NOT NULL GROUP BY 1, 2, 3, 4`,
  `INSERT INTO call_agents (hour, line, slot, browser, platform, people)
   SELECT hour, line, slot, browser, platform, COUNT(*) FROM (
     SELECT created_at / ${3_600_000} AS hour, line, CAST(substr(room_id, 2) AS INTEGER) % 8 AS slot, host_browser AS browser, host_platform AS platform
     FROM call_history WHERE host_browser IS NOT NULL
     UNION ALL
     SELECT created_at / ${3_600_000}, line, CAST(substr(room_id, 2) AS INTEGER) % 8, guest_browser, guest_platform FROM call_history WHERE guest_browser IS NOT NULL
   ) AS people GROUP BY 1, 2, 3, 4, 5`,
];

function seedSqlite(db: ReturnType<typeof openDatabase>['db']): void {
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS - 1})
           INSERT INTO call_history (${COLUMNS}) SELECT ${VALUES} FROM (SELECT i, ${FROM} + i * ${STEP} AS t FROM n)`);
  for (const statement of COUNT_SEEDED) db.exec(statement);
  db.exec('ANALYZE');
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO call_history (${COLUMNS})
     SELECT ${VALUES} FROM (SELECT g::bigint AS i, ${FROM}::bigint + g::bigint * ${STEP} AS t FROM generate_series(0, ${CALLS - 1}) AS g) AS s`);
  for (const statement of COUNT_SEEDED) await client.query(statement);
  await client.query('VACUUM ANALYZE');
  await client.end();
}

/**
 * Whether the seeded counts of a day are what the service's own counting (history-stats.ts's contributions)
 * makes of that day's calls.
 */
async function countedAsTheServiceCounts(sql: SqlRunner, history: SqlCallHistory): Promise<boolean> {
  const day = { fromMs: NOW - 10 * DAY, toMs: NOW - 9 * DAY };
  const stats = await history.stats(day, DAY, 0);
  const expected = new Map<string, number>();
  let after: { createdAtMs: number; id: string } | undefined;
  for (;;) {
    const rows = await sql.all(pageQuery(day, after, 1000));
    if (rows.length === 0) break;
    for (const row of rows) {
      for (const [key, value] of contributions(row).counters)
        expected.set(key, (expected.get(key) ?? 0) + value);
    }
    const last = rows.at(-1);
    after = last && { createdAtMs: Number(last.created_at), id: String(last.room_id) };
  }
  const actual = new Map<string, number>([
    ...Object.entries(stats.totals),
    ...Object.entries(stats.funnel),
    ...stats.setup.map((value, index): [string, number] => [`setup_${index}`, value]),
    ...stats.duration.map((value, index): [string, number] => [`duration_${index}`, value]),
  ]);
  return (
    [...actual].every(([key, value]) => (expected.get(key) ?? 0) === value) && (stats.totals.created ?? 0) > 0
  );
}

/** p50/p99 of `work` over RUNS runs (after one to warm the caches). */
async function time(work: () => Promise<unknown>, runs = RUNS): Promise<{ p50Ms: number; p99Ms: number }> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return { p50Ms: round(percentile(samples, 50), 2), p99Ms: round(percentile(samples, 99), 2) };
}

/** Every dashboard query, on all lines and on one, for the last 30 days. */
async function measure(
  sql: SqlRunner,
): Promise<{ consistent: boolean; queries: Record<string, { p50Ms: number; p99Ms: number }> }> {
  const history = new SqlCallHistory(sql);
  const results: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const line of [undefined, 'ventas']) {
    const { range, bucketMs, offsetMs } = resolveRange({ range: '30d', tz: -300, line }, NOW);
    const suffix = line === undefined ? 'all lines' : 'one line';
    const queries: [string, () => Promise<unknown>][] = [
      ['calls per day', () => sql.all(seriesQuery(range, bucketMs, offsetMs))],
      ['totals, funnel and histograms', () => sql.all(totalsQuery(range))],
      ['failures by code', () => sql.all(failuresQuery(range))],
      ['browsers', () => sql.all(agentsQuery(range))],
      ['recent calls (first page)', () => sql.all(pageQuery(range, undefined, 26))],
      ['GET /admin/api/stats (all of the above)', () => history.stats(range, bucketMs, offsetMs)],
    ];
    for (const [name, work] of queries) results[`${name}, ${suffix}`] = await time(work);
  }
  results['now (live calls)'] = await time(() => sql.all(nowQuery(NOW)));
  const [last] = await history.page({ fromMs: FROM, toMs: NOW, line: undefined }, undefined, 1, NOW);
  results['one call and its timeline'] = await time(() => history.call(last?.id ?? 'r0', NOW));
  // The CSV export of the widest range: every call of 30 days, page by page as the route reads them.
  const month = resolveRange({ range: '30d', tz: -300, line: undefined }, NOW).range;
  const exportAll = async () => {
    let after: { createdAtMs: number; id: string } | undefined;
    let lines = 0;
    for (;;) {
      const page = await history.page(month, after, 500, NOW);
      if (page.length === 0) return lines;
      for await (const text of csvLines([page], -300 * 60_000)) lines += text.length > 0 ? 1 : 0;
      const last = page.at(-1);
      after = last && { createdAtMs: last.createdAtMs, id: last.id };
    }
  };
  results['CSV export of 30 days (every call)'] = await time(exportAll, 3);
  return { consistent: await countedAsTheServiceCounts(sql, history), queries: results };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wwb-bench-dashboard-'));
const postgres = await startPostgres({ durable: true });
try {
  const seedStarted = performance.now();
  const sqlite = openDatabase(dataDir);
  seedSqlite(sqlite.db);
  const sqliteSeedS = (performance.now() - seedStarted) / 1000;
  const sqliteResults = await measure(sqliteSqlRunner(sqlite.db));
  await sqlite.close();

  const url = await postgres.createDatabase();
  const db = await PostgresDatabase.open(url);
  const pgSeedStarted = performance.now();
  await seedPostgres(url);
  const postgresSeedS = (performance.now() - pgSeedStarted) / 1000;
  const postgresResults = await measure(postgresSqlRunner(db));
  await db.close();
  console.log(
    JSON.stringify({
      calls: CALLS,
      runs: RUNS,
      seedSeconds: { sqlite: round(sqliteSeedS, 1), postgres: round(postgresSeedS, 1) },
      sqlite: sqliteResults,
      postgres: postgresResults,
    }),
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await postgres.close();
  rmSync(dataDir, { recursive: true, force: true });
}
