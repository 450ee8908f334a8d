import type { CallHistoryStore, HistoryEvent } from './call-history.js';
import { callRowOf } from './call-row.js';
import type { CallRow, CallStats, LineNow, TimelineEntry } from '../protocol/dashboard.js';
import {
  agentsQuery,
  BACKLOG_QUERY,
  callQuery,
  distributionQuery,
  DURATION_EDGES_MS,
  SETUP_EDGES_MS,
  failuresQuery,
  nowQuery,
  pageQuery,
  seriesQuery,
  timelineQuery,
  totalsQuery,
  type HistoryRange,
} from './history-reads.js';
import { changeStatement, deleteStatements, eventStatement, type Statement } from './history-writes.js';

/** What a SQL backend gives the call history: reads, and writes in one transaction. */
export interface SqlRunner {
  all(statement: Statement): Promise<Record<string, unknown>[]>;
  /**
   * In one transaction: runs `first`, and `then` only when `first` changed a row; resolves to the rows `then`'s
   * last statement changed (0 when `first` changed nothing).
   */
  ifChanged(first: Statement, then: readonly Statement[]): Promise<number>;
  /** Runs statements in one transaction; resolves to the rows the last one changed. */
  run(statements: readonly Statement[]): Promise<number>;
}

const n = (value: unknown) => Number(value ?? 0);

function bars(rows: Record<string, unknown>[], length: number): number[] {
  const counts = new Array<number>(length).fill(0);
  for (const row of rows) counts[n(row.bar)] = n(row.calls);
  return counts;
}

/** The call history on a SQL database (SQLite or PostgreSQL, through their runner). */
export class SqlCallHistory implements CallHistoryStore {
  constructor(private readonly sql: SqlRunner) {}

  async record(event: HistoryEvent): Promise<boolean> {
    return (await this.sql.ifChanged(eventStatement(event), [changeStatement(event)])) > 0;
  }

  deleteBefore(beforeMs: number): Promise<number> {
    return this.sql.run(deleteStatements(beforeMs));
  }

  async now(nowMs: number): Promise<LineNow[]> {
    const [calls, backlog] = await Promise.all([this.sql.all(nowQuery(nowMs)), this.sql.all(BACKLOG_QUERY)]);
    const lines = new Map<string, LineNow>();
    const line = (id: string) => lines.get(id) ?? { line: id, waiting: 0, inCall: 0, relayed: 0, backlog: 0 };
    for (const row of calls) {
      const id = String(row.line);
      lines.set(id, {
        ...line(id),
        waiting: n(row.waiting),
        inCall: n(row.in_call),
        relayed: n(row.relayed),
      });
    }
    for (const row of backlog) {
      const id = String(row.line);
      lines.set(id, { ...line(id), backlog: n(row.messages) });
    }
    return [...lines.values()].sort((a, b) => a.line.localeCompare(b.line));
  }

  async stats(range: HistoryRange, bucketMs: number, offsetMs: number): Promise<CallStats> {
    const [series, [totals], setup, duration, failures, agents] = await Promise.all([
      this.sql.all(seriesQuery(range, bucketMs, offsetMs)),
      this.sql.all(totalsQuery(range)),
      this.sql.all(distributionQuery(range, 'setup')),
      this.sql.all(distributionQuery(range, 'duration')),
      this.sql.all(failuresQuery(range)),
      this.sql.all(agentsQuery(range)),
    ]);
    const t = totals ?? {};
    return {
      series: series.map((row) => ({
        startMs: n(row.bucket) * bucketMs - offsetMs,
        created: n(row.created),
        connected: n(row.connected),
        failed: n(row.failed),
      })),
      totals: {
        created: n(t.created),
        connected: n(t.connected),
        failed: n(t.failed),
        declined: n(t.declined),
        cancelled: n(t.cancelled),
        relayed: n(t.relayed),
      },
      funnel: {
        invited: n(t.invited),
        sent: n(t.sent),
        delivered: n(t.delivered),
        read: n(t.read),
        joined: n(t.joined),
      },
      setup: bars(setup, SETUP_EDGES_MS.length + 1),
      duration: bars(duration, DURATION_EDGES_MS.length + 1),
      failures: failures.map((row) => ({ code: n(row.code), calls: n(row.calls) })),
      agents: agents.map((row) => ({
        browser: String(row.browser),
        platform: String(row.platform),
        people: n(row.people),
      })),
    };
  }

  async page(
    range: HistoryRange,
    after: { readonly createdAtMs: number; readonly id: string } | undefined,
    limit: number,
    nowMs: number,
  ): Promise<CallRow[]> {
    const rows = await this.sql.all(pageQuery(range, after, limit));
    return rows.map((row) => callRowOf(row, nowMs));
  }

  async call(
    roomId: string,
    nowMs: number,
  ): Promise<{ call: CallRow; timeline: TimelineEntry[] } | undefined> {
    const [[row], events] = await Promise.all([
      this.sql.all(callQuery(roomId)),
      this.sql.all(timelineQuery(roomId)),
    ]);
    if (row === undefined) return undefined;
    return {
      call: callRowOf(row, nowMs),
      timeline: events.map((event) => ({
        atMs: n(event.at),
        kind: String(event.kind),
        data: (typeof event.data === 'string' ? JSON.parse(event.data) : event.data) as Record<
          string,
          unknown
        >,
      })),
    };
  }
}
