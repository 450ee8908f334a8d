import type { CallHistoryStore, HistoryEvent } from './call-history.js';
import { callRowOf } from './call-row.js';
import type { CallRow, CallStats, LineNow, TimelineEntry } from '../protocol/dashboard.js';
import {
  agentsQuery,
  BACKLOG_QUERY,
  callQuery,
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
import { deleteStatements, recordSteps, type RowChange, type Statement } from './history-writes.js';

/** What a SQL backend gives the call history: reads, and writes in one transaction. */
export interface SqlRunner {
  all(statement: Statement): Promise<Record<string, unknown>[]>;
  /** Runs a row change (RowChange) in one transaction; true when its first statement changed a row. */
  changeRow(steps: RowChange): Promise<boolean>;
  /** Runs statements in one transaction; resolves to the rows the last one changed. */
  run(statements: readonly Statement[]): Promise<number>;
}

const n = (value: unknown) => Number(value ?? 0);

/** The call history on a SQL database (SQLite or PostgreSQL, through their runner). */
export class SqlCallHistory implements CallHistoryStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Applies a change once (a repeated event id changes nothing), with the call's counts. */
  record(event: HistoryEvent): Promise<boolean> {
    return this.sql.changeRow(recordSteps(event));
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
    const [series, [totals], failures, agents] = await Promise.all([
      this.sql.all(seriesQuery(range, bucketMs, offsetMs)),
      this.sql.all(totalsQuery(range)),
      this.sql.all(failuresQuery(range)),
      this.sql.all(agentsQuery(range)),
    ]);
    const t = totals ?? {};
    const bars = (prefix: string, edges: readonly number[]) =>
      Array.from({ length: edges.length + 1 }, (_, index) => n(t[`${prefix}_${index}`]));
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
      setup: bars('setup', SETUP_EDGES_MS),
      duration: bars('duration', DURATION_EDGES_MS),
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
    const call = callRowOf(row, nowMs);
    const created = {
      atMs: call.createdAtMs,
      kind: 'created',
      data: { source: call.source, reachedBy: call.reachedBy },
    };
    return {
      call,
      timeline: [
        created,
        ...events.map((event) => ({
          atMs: n(event.at),
          kind: String(event.kind),
          data: (typeof event.data === 'string' ? JSON.parse(event.data) : event.data) as Record<
            string,
            unknown
          >,
        })),
      ],
    };
  }
}
