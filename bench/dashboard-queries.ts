// The dashboard's queries over a year of calls: 1,000,000 calls on three lines, spread evenly over 365 days,
// on SQLite (a file, as the service keeps it) and on PostgreSQL (started by this script on loopback). Each query
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
import { SqlCallHistory, type SqlRunner } from '../src/history/sql-call-history.js';
import {
  agentsQuery,
  distributionQuery,
  failuresQuery,
  nowQuery,
  pageQuery,
  seriesQuery,
  totalsQuery,
} from '../src/history/history-reads.js';
import { startPostgres } from '../test/servers/postgres-server.js';
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

function seedSqlite(db: ReturnType<typeof openDatabase>['db']): void {
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS - 1})
           INSERT INTO call_history (${COLUMNS}) SELECT ${VALUES} FROM (SELECT i, ${FROM} + i * ${STEP} AS t FROM n)`);
  db.exec('ANALYZE');
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO call_history (${COLUMNS})
     SELECT ${VALUES} FROM (SELECT g::bigint AS i, ${FROM}::bigint + g::bigint * ${STEP} AS t FROM generate_series(0, ${CALLS - 1}) AS g) AS s`);
  await client.query('VACUUM ANALYZE call_history');
  await client.end();
}

/** p50/p99 of `work` over RUNS runs (after one to warm the caches). */
async function time(work: () => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number }> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return { p50Ms: round(percentile(samples, 50), 2), p99Ms: round(percentile(samples, 99), 2) };
}

/** Every dashboard query, on all lines and on one, for the last 30 days. */
async function measure(sql: SqlRunner): Promise<Record<string, { p50Ms: number; p99Ms: number }>> {
  const history = new SqlCallHistory(sql);
  const results: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const line of [undefined, 'ventas']) {
    const { range, bucketMs, offsetMs } = resolveRange({ range: '30d', tz: -300, line }, NOW);
    const suffix = line === undefined ? 'all lines' : 'one line';
    const queries: [string, () => Promise<unknown>][] = [
      ['calls per day', () => sql.all(seriesQuery(range, bucketMs, offsetMs))],
      ['totals and funnel', () => sql.all(totalsQuery(range))],
      ['setup histogram', () => sql.all(distributionQuery(range, 'setup'))],
      ['duration histogram', () => sql.all(distributionQuery(range, 'duration'))],
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
  return results;
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
