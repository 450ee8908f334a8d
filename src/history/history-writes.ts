import type { HistoryChange, HistoryEvent, NewCallRecord } from './call-history.js';
import { hourOf, statsDelta } from './history-stats.js';

// The call history's writes as SQL that SQLite and PostgreSQL both run (`?` placeholders; the PostgreSQL
// adapter numbers them): one set of statements, not two hand-kept copies.

/** A statement and its values. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export const HISTORY_COLUMNS = [
  'room_id',
  'line',
  'created_at',
  'expires_at',
  'source',
  'host',
  'guest',
  'host_name',
  'guest_name',
  'reached_by',
  'host_invitation',
  'guest_invitation',
  'failure_code',
  'host_joined_at',
  'guest_joined_at',
  'host_browser',
  'host_platform',
  'guest_browser',
  'guest_platform',
  'connected_at',
  'setup_ms',
  'path',
  'ended_at',
  'ended_by',
  'declined_at',
  'cancelled_at',
] as const;

/**
 * A new call: its row; then, only when the row is new, its counts (a call written twice stays as first written,
 * counted once). Its timeline starts with the row itself (the created entry is read from it).
 */
export function insertCall(call: NewCallRecord): { row: Statement; then: Statement[] } {
  return {
    row: {
      sql: `INSERT INTO call_history (room_id, line, created_at, expires_at, source, host, guest, host_name,
              guest_name, reached_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id) DO NOTHING`,
      params: [
        call.roomId,
        call.line,
        call.createdAtMs,
        call.expiresAtMs,
        call.source,
        call.host,
        call.guest,
        call.hostName,
        call.guestName,
        call.reachedBy,
      ],
    },
    then: statsDelta(undefined, { room_id: call.roomId, line: call.line, created_at: call.createdAtMs }),
  };
}

function insertEvent(event: {
  id: string;
  roomId: string;
  atMs: number;
  kind: string;
  data: Record<string, unknown>;
}): Statement {
  return {
    sql: `INSERT INTO call_events (id, room_id, at, kind, data) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (room_id, id) DO NOTHING`,
    params: [event.id, event.roomId, event.atMs, event.kind, JSON.stringify(event.data)],
  };
}

/** The timeline entry of an event: run first; the change applies only when it inserted a row. */
export function eventStatement(event: HistoryEvent): Statement {
  const { kind, ...data } = event.change;
  return insertEvent({ id: event.id, roomId: event.roomId, atMs: event.atMs, kind, data });
}

// Delivery states only move forward; a failure is final.
const rank = (value: string) =>
  `CASE ${value} WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END`;

/** What an event changes in its call's row. */
export function changeStatement(event: HistoryEvent): Statement {
  const { change, atMs, roomId } = event;
  const update = (set: string, params: unknown[], where = '') => ({
    sql: `UPDATE call_history SET ${set} WHERE room_id = ?${where}`,
    params: [...params, roomId],
  });
  switch (change.kind) {
    case 'invitation': {
      const column = `${change.participant}_invitation`;
      return update(
        `${column} = CASE WHEN ${rank(column)} < ${rank('?')} THEN ? ELSE ${column} END,
         failure_code = CASE WHEN ? = 'failed' THEN COALESCE(failure_code, ?) ELSE failure_code END`,
        [change.state, change.state, change.state, change.errorCode ?? 0],
      );
    }
    case 'joined': {
      const p = change.participant;
      // Coming back after a lost connection resumes the call: it had not ended.
      return update(
        `${p}_joined_at = COALESCE(${p}_joined_at, ?), ${p}_browser = COALESCE(${p}_browser, ?),
         ${p}_platform = COALESCE(${p}_platform, ?),
         ended_at = CASE WHEN ended_by = 'lost' THEN NULL ELSE ended_at END,
         ended_by = CASE WHEN ended_by = 'lost' THEN NULL ELSE ended_by END`,
        [atMs, change.browser, change.platform],
      );
    }
    case 'connected':
      // Either page's report says the call connected; through TURN if either side's path is.
      return update(
        `connected_at = COALESCE(connected_at, ?), setup_ms = COALESCE(setup_ms, ?),
         path = CASE WHEN path = 'relay' THEN path ELSE ? END`,
        [atMs, Math.round(change.setupMs), change.path],
      );
    case 'left':
      // A lost connection ends the call when it was the first to go, until that person comes back.
      return update(
        'ended_at = ?, ended_by = ?',
        [atMs, change.reason === 'hangup' ? change.participant : 'lost'],
        ' AND connected_at IS NOT NULL AND ended_at IS NULL',
      );
    case 'declined':
      return update('declined_at = COALESCE(declined_at, ?)', [atMs]);
    case 'cancelled':
      return update('cancelled_at = COALESCE(cancelled_at, ?)', [atMs]);
    case 'moved':
      return update('expires_at = ?', [change.expiresAtMs]);
  }
}

/** A row as a driver returns it. */
export type Row = Record<string, unknown>;

/**
 * A change to one row, done in one transaction: `first` (the event's timeline entry); when it changed a row,
 * `change`, with `read` (the row) before and after it, and what `follow` makes of both (the counts).
 */
export interface RowChange {
  readonly first: Statement;
  readonly read: Statement;
  readonly change: Statement;
  readonly follow: (before: Row, after: Row) => readonly Statement[];
}

/** Recording an event: its timeline entry, then the change to its call and to the call's counts. */
export function recordSteps(event: HistoryEvent): RowChange {
  return {
    first: eventStatement(event),
    read: { sql: 'SELECT * FROM call_history WHERE room_id = ?', params: [event.roomId] },
    change: changeStatement(event),
    follow: statsDelta,
  };
}

/** Calls created before a time, their timelines and their counts. */
export function deleteStatements(beforeMs: number): Statement[] {
  const hour = hourOf(beforeMs);
  return [
    {
      sql: `DELETE FROM call_events WHERE room_id IN (SELECT room_id FROM call_history WHERE created_at < ?)`,
      params: [beforeMs],
    },
    { sql: 'DELETE FROM call_stats WHERE hour < ?', params: [hour] },
    { sql: 'DELETE FROM call_failures WHERE hour < ?', params: [hour] },
    { sql: 'DELETE FROM call_agents WHERE hour < ?', params: [hour] },
    { sql: 'DELETE FROM call_history WHERE created_at < ?', params: [beforeMs] },
  ];
}

/** The kinds of change, for exhaustive handling elsewhere. */
export type HistoryChangeKind = HistoryChange['kind'];
