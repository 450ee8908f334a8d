import type { CallSource, Participant, ReachedBy } from './call-history.js';
import type { HISTORY_COLUMNS } from './history-writes.js';

/** Where a call stands, as the dashboard shows it. */
export type CallStatus =
  'invited' | 'waiting' | 'in-call' | 'ended' | 'failed' | 'declined' | 'cancelled' | 'missed';

/** A call of the history, as the dashboard and its CSV show it (masked numbers only). */
export interface CallRow {
  readonly id: string;
  readonly line: string;
  readonly status: CallStatus;
  readonly source: CallSource;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly host: string | null;
  readonly guest: string | null;
  readonly hostName: string | null;
  readonly guestName: string | null;
  readonly reachedBy: ReachedBy;
  readonly invitations: Readonly<Record<Participant, string | null>>;
  readonly failureCode: number | null;
  readonly joinedAtMs: Readonly<Record<Participant, number | null>>;
  readonly agents: Readonly<Record<Participant, { browser: string; platform: string } | null>>;
  readonly connectedAtMs: number | null;
  readonly setupMs: number | null;
  readonly path: 'direct' | 'relay' | null;
  readonly endedAtMs: number | null;
  /** 'host' or 'guest' who hung up, or 'lost' when a connection dropped. */
  readonly endedBy: string | null;
  readonly durationMs: number | null;
  readonly declinedAtMs: number | null;
  readonly cancelledAtMs: number | null;
}

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
