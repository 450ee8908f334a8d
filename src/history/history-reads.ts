import { DURATION_EDGES_MS, SETUP_EDGES_MS } from '../protocol/dashboard.js';
import type { Statement } from './history-writes.js';
import { STAT_COLUMNS } from './history-stats.js';

// The dashboard's reads as SQL that SQLite and PostgreSQL both run. The plots read the counts kept per line and
// hour (history-stats.ts), so that their cost follows the range's hours, not its calls; "now", the recent calls
// and a call's detail read the calls through their indexes.

export { DURATION_EDGES_MS, SETUP_EDGES_MS };

const HOUR_MS = 3_600_000;

/** A time range of calls (by creation), on one line or all. */
export interface HistoryRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly line?: string | undefined;
}

/**
 * The hours of a range. Counts are kept per hour of UTC: in a time zone half an hour off, a day's edges are
 * rounded to the hour.
 */
function hours(range: HistoryRange): { sql: string; params: unknown[] } {
  const from = Math.floor(range.fromMs / HOUR_MS);
  const to = Math.ceil(range.toMs / HOUR_MS);
  return range.line === undefined
    ? { sql: 'hour >= ? AND hour < ?', params: [from, to] }
    : { sql: 'hour >= ? AND hour < ? AND line = ?', params: [from, to, range.line] };
}

/** Calls created, connected and failed per bucket (`bucketMs` long, starting at local midnight `offsetMs`). */
export function seriesQuery(range: HistoryRange, bucketMs: number, offsetMs: number): Statement {
  const w = hours(range);
  return {
    sql: `SELECT CAST((hour * ${HOUR_MS} + ?) / ? AS INTEGER) AS bucket, SUM(created) AS created,
            SUM(connected) AS connected, SUM(failed) AS failed
          FROM call_stats WHERE ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: [offsetMs, bucketMs, ...w.params],
  };
}

/** The range's totals, invitation funnel and histogram bars, in one row. */
export function totalsQuery(range: HistoryRange): Statement {
  const w = hours(range);
  return {
    sql: `SELECT ${STAT_COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ')}
          FROM call_stats WHERE ${w.sql}`,
    params: w.params,
  };
}

/** Invitations that failed, by the Graph API's error code. */
export function failuresQuery(range: HistoryRange): Statement {
  const w = hours(range);
  return {
    sql: `SELECT code, SUM(calls) AS calls FROM call_failures WHERE ${w.sql}
          GROUP BY code HAVING SUM(calls) > 0 ORDER BY 2 DESC, 1`,
    params: w.params,
  };
}

/** Browsers and platforms of the people who joined (each person once per call). */
export function agentsQuery(range: HistoryRange): Statement {
  const w = hours(range);
  return {
    sql: `SELECT browser, platform, SUM(people) AS people FROM call_agents WHERE ${w.sql}
          GROUP BY browser, platform HAVING SUM(people) > 0 ORDER BY 3 DESC, 1, 2`,
    params: w.params,
  };
}

const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

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

/** The calls of a range, through the index on creation time (per line when one is chosen). */
function where(range: HistoryRange): { sql: string; params: unknown[] } {
  return range.line === undefined
    ? { sql: 'created_at >= ? AND created_at < ?', params: [range.fromMs, range.toMs] }
    : {
        sql: 'line = ? AND created_at >= ? AND created_at < ?',
        params: [range.line, range.fromMs, range.toMs],
      };
}

/** A page of calls, newest first, after the cursor (the last call of the previous page). */
export function pageQuery(
  range: HistoryRange,
  after: { readonly createdAtMs: number; readonly id: string } | undefined,
  limit: number,
): Statement {
  const w = where(range);
  // A row-value comparison: both engines seek the index to the cursor (an OR of two conditions scans).
  const cursor = after === undefined ? '' : ' AND (created_at, room_id) < (?, ?)';
  return {
    sql: `SELECT * FROM call_history WHERE ${w.sql}${cursor} ORDER BY created_at DESC, room_id DESC LIMIT ?`,
    params: [...w.params, ...(after === undefined ? [] : [after.createdAtMs, after.id]), limit],
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
