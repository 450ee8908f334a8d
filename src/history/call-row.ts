import type { CallRow, CallSource, CallStatus, Participant, ReachedBy } from '../protocol/dashboard.js';
import type { HISTORY_COLUMNS } from './history-writes.js';

export type { CallRow, CallStatus };

type Column = (typeof HISTORY_COLUMNS)[number];
type Record_ = Readonly<Partial<Record<Column, unknown>>>;

// Text columns hold strings; a driver never hands back anything else for them.
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function statusOf(row: Omit<CallRow, 'status'>, nowMs: number): CallStatus {
  if (row.cancelledAtMs !== null) return 'cancelled';
  if (row.connectedAtMs !== null) {
    return row.endedAtMs === null && row.expiresAtMs > nowMs ? 'in-call' : 'ended';
  }
  if (row.declinedAtMs !== null) return 'declined';
  if (row.failureCode !== null) return 'failed';
  if (row.expiresAtMs <= nowMs) return 'missed';
  return row.joinedAtMs.host !== null || row.joinedAtMs.guest !== null ? 'waiting' : 'invited';
}

/** The call a history row holds; `nowMs` tells a live call from one whose links ran out. */
export function callRowOf(record: Record_, nowMs: number): CallRow {
  const agent = (p: Participant) => {
    const browser = text(record[`${p}_browser`]);
    return browser === null ? null : { browser, platform: text(record[`${p}_platform`]) ?? '' };
  };
  const connectedAtMs = num(record.connected_at);
  const endedAtMs = num(record.ended_at);
  const row = {
    id: String(record.room_id),
    line: String(record.line),
    source: String(record.source) as CallSource,
    createdAtMs: Number(record.created_at),
    expiresAtMs: Number(record.expires_at),
    host: text(record.host),
    guest: text(record.guest),
    hostName: text(record.host_name),
    guestName: text(record.guest_name),
    reachedBy: String(record.reached_by) as ReachedBy,
    invitations: { host: text(record.host_invitation), guest: text(record.guest_invitation) },
    failureCode: num(record.failure_code),
    joinedAtMs: { host: num(record.host_joined_at), guest: num(record.guest_joined_at) },
    agents: { host: agent('host'), guest: agent('guest') },
    connectedAtMs,
    setupMs: num(record.setup_ms),
    path: text(record.path) as CallRow['path'],
    endedAtMs,
    endedBy: text(record.ended_by),
    durationMs: connectedAtMs !== null && endedAtMs !== null ? endedAtMs - connectedAtMs : null,
    declinedAtMs: num(record.declined_at),
    cancelledAtMs: num(record.cancelled_at),
  };
  return { ...row, status: statusOf(row, nowMs) };
}
