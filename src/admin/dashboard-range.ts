import { z } from 'zod';
import type { HistoryRange } from '../history/history-reads.js';
import { DASHBOARD_RANGES } from '../protocol/dashboard.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What every dashboard read takes: a range, a line (all when absent), the browser's offset from UTC. */
export const rangeQuerySchema = z.object({
  range: z.enum(DASHBOARD_RANGES).default('today'),
  line: z.string().min(1).max(64).optional(),
  // Minutes east of UTC, as the page computes from its clock: the operator's days start at their midnight.
  tz: z.coerce.number().int().min(-840).max(840).default(0),
});
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

/** The calls of a range (from the operator's midnight, up to now) and the length of its plot's bars. */
export function resolveRange(
  query: RangeQuery,
  nowMs: number,
): { range: HistoryRange; bucketMs: number; offsetMs: number } {
  const offsetMs = query.tz * 60_000;
  const midnight = Math.floor((nowMs + offsetMs) / DAY) * DAY - offsetMs;
  const days = query.range === 'today' ? 0 : query.range === '7d' ? 6 : 29;
  return {
    range: { fromMs: midnight - days * DAY, toMs: nowMs + 1, line: query.line },
    bucketMs: query.range === 'today' ? HOUR : DAY,
    offsetMs,
  };
}
