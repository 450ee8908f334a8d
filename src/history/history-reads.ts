import { DURATION_EDGES_MS, SETUP_EDGES_MS } from '../protocol/dashboard.js';
import type { Statement } from './history-writes.js';

// The dashboard's reads as SQL that SQLite and PostgreSQL both run. Each reads the calls of one time range
// through the index on creation time (per line when one is chosen), so that its cost follows the range, not
// the history's size.

export { DURATION_EDGES_MS, SETUP_EDGES_MS };

/** A time range of calls (by creation), on one line or all. */
export interface HistoryRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly line?: string | undefined;
}

function where(range: HistoryRange): { sql: string; params: unknown[] } {
  return range.line === undefined
    ? { sql: 'created_at >= ? AND created_at < ?', params: [range.fromMs, range.toMs] }
    : {
        sql: 'line = ? AND created_at >= ? AND created_at < ?',
        params: [range.line, range.fromMs, range.toMs],
      };
}

function histogram(value: string, edges: readonly number[]): string {
  const bars = edges.map((edge, index) => `WHEN ${value} < ${edge} THEN ${index}`).join(' ');
  return `CASE ${bars} ELSE ${edges.length} END`;
}

const FAILED = 'failure_code IS NOT NULL AND connected_at IS NULL';
const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** Calls created, connected and failed per bucket (`bucketMs` long, starting at local midnight `offsetMs`). */
export function seriesQuery(range: HistoryRange, bucketMs: number, offsetMs: number): Statement {
  const w = where(range);
  return {
    sql: `SELECT CAST((created_at + ?) / ? AS INTEGER) AS bucket, COUNT(*) AS created,
            ${count('connected_at IS NOT NULL')} AS connected, ${count(FAILED)} AS failed
          FROM call_history WHERE ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: [offsetMs, bucketMs, ...w.params],
  };
}

/** Totals of the range and the invitation funnel, in one pass. */
export function totalsQuery(range: HistoryRange): Statement {
  const w = where(range);
  const invited = (p: string) => `${p}_invitation IS NOT NULL`;
  const reached = (p: string, states: string) => `${p}_invitation IN (${states})`;
  const both = (condition: (p: string) => string) =>
    `${count(condition('host'))} + ${count(condition('guest'))}`;
  return {
    sql: `SELECT COUNT(*) AS created, ${count('connected_at IS NOT NULL')} AS connected,
            ${count(FAILED)} AS failed, ${count('declined_at IS NOT NULL')} AS declined,
            ${count('cancelled_at IS NOT NULL')} AS cancelled, ${count("path = 'relay'")} AS relayed,
            ${both(invited)} AS invited,
            ${both((p) => reached(p, "'sent', 'delivered', 'read'"))} AS sent,
            ${both((p) => reached(p, "'delivered', 'read'"))} AS delivered,
            ${both((p) => reached(p, "'read'"))} AS read,
            ${both((p) => `${invited(p)} AND ${p}_joined_at IS NOT NULL`)} AS joined
          FROM call_history WHERE ${w.sql}`,
    params: w.params,
  };
}

/** How many connected calls fall in each bar of the setup-time and duration histograms. */
export function distributionQuery(range: HistoryRange, of: 'setup' | 'duration'): Statement {
  const w = where(range);
  const value = of === 'setup' ? 'setup_ms' : 'ended_at - connected_at';
  const edges = of === 'setup' ? SETUP_EDGES_MS : DURATION_EDGES_MS;
  const present =
    of === 'setup' ? 'setup_ms IS NOT NULL' : 'ended_at IS NOT NULL AND connected_at IS NOT NULL';
  return {
    sql: `SELECT ${histogram(value, edges)} AS bar, COUNT(*) AS calls
          FROM call_history WHERE ${w.sql} AND ${present} GROUP BY 1`,
    params: w.params,
  };
}

/** Invitations that failed, by the Graph API's error code. */
export function failuresQuery(range: HistoryRange): Statement {
  const w = where(range);
  return {
    sql: `SELECT failure_code AS code, COUNT(*) AS calls FROM call_history
          WHERE ${w.sql} AND failure_code IS NOT NULL GROUP BY failure_code ORDER BY 2 DESC, 1`,
    params: w.params,
  };
}

/** Browsers and platforms of the people who joined (each person once per call). */
export function agentsQuery(range: HistoryRange): Statement {
  const w = where(range);
  return {
    sql: `SELECT browser, platform, COUNT(*) AS people FROM (
            SELECT host_browser AS browser, host_platform AS platform FROM call_history
            WHERE ${w.sql} AND host_browser IS NOT NULL
            UNION ALL
            SELECT guest_browser, guest_platform FROM call_history
            WHERE ${w.sql} AND guest_browser IS NOT NULL
          ) AS joined GROUP BY browser, platform ORDER BY 3 DESC, 1, 2`,
    params: [...w.params, ...w.params],
  };
}

/** What is going on now, per line: people waiting for the other, calls in progress, through TURN. */
export function nowQuery(nowMs: number): Statement {
  const live = 'connected_at IS NOT NULL AND ended_at IS NULL';
  return {
    sql: `SELECT line,
            ${count(`connected_at IS NULL AND cancelled_at IS NULL AND declined_at IS NULL
                     AND (host_joined_at IS NOT NULL OR guest_joined_at IS NOT NULL)`)} AS waiting,
            ${count(live)} AS in_call, ${count(`${live} AND path = 'relay'`)} AS relayed
          FROM call_history WHERE expires_at > ? GROUP BY line`,
    params: [nowMs],
  };
}

/** Messages waiting to be sent, per line (the outbox's backlog). */
export const BACKLOG_QUERY: Statement = {
  sql: `SELECT line, COUNT(*) AS messages FROM outbox WHERE state IN ('pending', 'unconfirmed') GROUP BY line`,
  params: [],
};

/** A page of calls, newest first, after the cursor (the last call of the previous page). */
export function pageQuery(
  range: HistoryRange,
  after: { readonly createdAtMs: number; readonly id: string } | undefined,
  limit: number,
): Statement {
  const w = where(range);
  const cursor = after === undefined ? '' : ' AND (created_at < ? OR (created_at = ? AND room_id < ?))';
  return {
    sql: `SELECT * FROM call_history WHERE ${w.sql}${cursor} ORDER BY created_at DESC, room_id DESC LIMIT ?`,
    params: [
      ...w.params,
      ...(after === undefined ? [] : [after.createdAtMs, after.createdAtMs, after.id]),
      limit,
    ],
  };
}

/** One call's row. */
export function callQuery(roomId: string): Statement {
  return { sql: 'SELECT * FROM call_history WHERE room_id = ?', params: [roomId] };
}

/** One call's timeline, in order. */
export function timelineQuery(roomId: string): Statement {
  return {
    sql: 'SELECT id, at, kind, data FROM call_events WHERE room_id = ? ORDER BY at, id',
    params: [roomId],
  };
}
