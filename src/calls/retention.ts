import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RoomStore } from '../rooms/room-store.js';
import type { MessageLedger } from './message-ledger.js';
import type { JobLock } from './periodic-jobs.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How often old state is cleared away. */
const MAINTENANCE_INTERVAL_MS = HOUR_MS;
/** Expired rooms stay this long, so an old link still says "expired" rather than "does not exist". */
export const EXPIRED_ROOM_RETENTION_MS = 7 * DAY_MS;
/** Meta retries a webhook for up to 7 days; a handled id is remembered a day longer. */
export const HANDLED_MESSAGE_RETENTION_MS = 8 * DAY_MS;

/** Deletes long-expired rooms and forgets handled message ids Meta can no longer redeliver. */
/** What retention clears. */
export interface RetentionState extends JobLock {
  readonly rooms: RoomStore;
  readonly ledger: MessageLedger;
  /** The answers to API requests with an Idempotency-Key. */
  readonly apiKeys: { pruneRequests(beforeMs: number): Promise<number> };
  /** The dashboard's call history. */
  readonly history: { deleteBefore(beforeMs: number): Promise<number> };
}

/** An Idempotency-Key holds for a day, as API clients expect. */
export const IDEMPOTENT_REQUEST_RETENTION_MS = DAY_MS;

/** The call history is kept this many days unless configured (HISTORY_DAYS). */
export const DEFAULT_HISTORY_DAYS = 400;

export async function runRetention(
  storage: RetentionState,
  nowMs: number,
  historyDays = DEFAULT_HISTORY_DAYS,
): Promise<{ rooms: number; messageIds: number; apiRequests: number; calls: number }> {
  const rooms = await storage.rooms.deleteExpired(nowMs - EXPIRED_ROOM_RETENTION_MS);
  const messageIds = await storage.ledger.pruneBefore(nowMs - HANDLED_MESSAGE_RETENTION_MS);
  const apiRequests = await storage.apiKeys.pruneRequests(nowMs - IDEMPOTENT_REQUEST_RETENTION_MS);
  const calls = await storage.history.deleteBefore(nowMs - historyDays * DAY_MS);
  return { rooms, messageIds, apiRequests, calls };
}

/** Runs maintenance when the app is ready and then every hour. */
export const retentionPlugin = fp(
  (
    app: FastifyInstance,
    options: { state: RetentionState; now: () => number; historyDays?: number | undefined },
  ) => {
    let timer: NodeJS.Timeout | undefined;
    // One instance at a time; the others find the job taken and skip their turn.
    const run = () =>
      options.state
        .exclusively('retention', () => runRetention(options.state, options.now(), options.historyDays))
        .then(
          (removed) => {
            if (
              removed !== undefined &&
              removed.rooms + removed.messageIds + removed.apiRequests + removed.calls > 0
            ) {
              app.log.info(removed, 'retention: old state removed');
            }
          },
          (error: unknown) => app.log.error({ err: error }, 'retention failed'),
        );
    app.addHook('onReady', async () => {
      await run();
      timer = setInterval(() => void run(), MAINTENANCE_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('preClose', () => clearInterval(timer));
    return Promise.resolve();
  },
  { name: 'retention' },
);
