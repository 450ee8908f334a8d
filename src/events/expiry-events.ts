import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { JobLock } from '../calls/periodic-jobs.js';
import type { RoomStore } from '../rooms/room-store.js';
import type { CallEvents } from './call-events.js';

const CHECK_INTERVAL_MS = 60_000;
/** After a start, rooms that expired this long before are looked at again (the ledger keeps each event once). */
const LOOK_BACK_MS = 24 * 3_600_000;
const BATCH = 200;

/**
 * `call.expired` for each room whose time ran out (not cancelled), from `afterMs` up to `nowMs`. Returns how
 * many events were queued and how far it looked (where the next run starts).
 */
export async function runExpiryEvents(
  state: { readonly rooms: RoomStore; readonly events: CallEvents },
  afterMs: number,
  nowMs: number,
): Promise<{ queued: number; upToMs: number }> {
  let queued = 0;
  let after = { expiresAtMs: afterMs, id: '' };
  for (;;) {
    const rooms = await state.rooms.expiredBetween(after, nowMs, BATCH);
    for (const room of rooms) {
      const joined = (['host', 'guest'] as const).filter((_, seat) => room.joinedAtMs?.[seat] !== undefined);
      if (await state.events.emit(`${room.id}:expired`, 'call.expired', room, { joined }, nowMs)) queued++;
    }
    const last = rooms.at(-1);
    if (rooms.length < BATCH || last === undefined) return { queued, upToMs: nowMs };
    after = { expiresAtMs: last.expiresAtMs, id: last.id };
  }
}

/** Looks every minute, on one instance at a time, for calls whose links expired, when events are configured. */
export const expiryEventsPlugin = fp(
  (
    app: FastifyInstance,
    options: { state: { rooms: RoomStore } & JobLock; events: CallEvents; now: () => number },
  ) => {
    if (!options.events.enabled) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    let afterMs = options.now() - LOOK_BACK_MS;
    const run = () =>
      options.state
        .exclusively('expiry-events', () =>
          runExpiryEvents({ rooms: options.state.rooms, events: options.events }, afterMs, options.now()),
        )
        .then(
          (result) => {
            if (result === undefined) return;
            afterMs = result.upToMs;
            if (result.queued > 0) app.outboxWorker.kick();
          },
          (error: unknown) => app.log.error({ err: error }, 'expiry events failed'),
        );
    app.addHook('onReady', () => {
      timer = setInterval(() => void run(), CHECK_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('preClose', () => clearInterval(timer));
    return Promise.resolve();
  },
  { name: 'expiry-events', dependencies: ['outbox-worker'] },
);
