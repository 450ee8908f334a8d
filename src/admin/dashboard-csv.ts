import { undeliveredReason, type CallRow } from '../protocol/dashboard.js';

const HEADER = [
  'id',
  'line',
  'status',
  'source',
  'created',
  'host',
  'host_name',
  'guest',
  'guest_name',
  'reached_by',
  'guest_invitation',
  'connected',
  'setup_seconds',
  'path',
  'duration_seconds',
  'ended_by',
  'failure_code',
  'failure_reason',
  'host_browser',
  'guest_browser',
];

/** A time in the operator's offset, as ISO 8601 with that offset (what spreadsheets read as local time). */
export function localTime(ms: number | null, offsetMs: number): string {
  if (ms === null) return '';
  const local = new Date(ms + offsetMs).toISOString().slice(0, 19);
  const minutes = Math.abs(offsetMs) / 60_000;
  const sign = offsetMs < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break; and a text that a spreadsheet
 * would run as a formula (a name such as "=HYPERLINK(…)") is kept as text with a leading apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(call: CallRow, offsetMs: number): string {
  const agent = (who: 'host' | 'guest') => {
    const found = call.agents[who];
    return found === null ? null : `${found.browser} / ${found.platform}`;
  };
  return [
    call.id,
    call.line,
    call.status,
    call.source,
    localTime(call.createdAtMs, offsetMs),
    call.host,
    call.hostName,
    call.guest,
    call.guestName,
    call.reachedBy,
    call.invitations.guest,
    localTime(call.connectedAtMs, offsetMs),
    call.setupMs === null ? null : call.setupMs / 1000,
    call.path,
    call.durationMs === null ? null : Math.round(call.durationMs / 1000),
    call.endedBy,
    call.failureCode,
    call.failureCode === null ? null : undeliveredReason(call.failureCode),
    agent('host'),
    agent('guest'),
  ]
    .map(csvField)
    .join(',');
}

/** The CSV of pages of calls, header first, CRLF line ends (RFC 4180). */
export async function* csvLines(
  pages: AsyncIterable<readonly CallRow[]> | Iterable<readonly CallRow[]>,
  offsetMs: number,
): AsyncGenerator<string> {
  // A byte-order mark so that spreadsheet programs read the names as UTF-8.
  yield `\ufeff${HEADER.join(',')}\r\n`;
  for await (const page of pages) yield page.map((call) => `${line(call, offsetMs)}\r\n`).join('');
}
