import { createRoom } from '../../src/rooms/room.js';
import type { HistoryChange } from '../../src/history/call-history.js';
import type { Storage } from '../../src/storage/storage.js';

// A believable call history, written as the service writes it (the ledger, then each change), for the
// dashboard's screenshots and browser test: most calls connect, some through TURN, some invitations fail.

const AGENTS = [
  { browser: 'Chrome', platform: 'Android' },
  { browser: 'Chrome', platform: 'Android' },
  { browser: 'Safari', platform: 'iOS' },
  { browser: 'Samsung Internet for Android', platform: 'Android' },
  { browser: 'Chrome', platform: 'Windows' },
  { browser: 'Firefox', platform: 'Linux' },
] as const;
const NAMES = ['Ana', 'Luis', 'Marta', 'Jorge', 'Camila', 'Pedro', 'Sofía', 'Diego'] as const;

/** A small deterministic generator (mulberry32), so that every run draws the same history. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Writes `calls` calls spread over the `days` before `nowMs`, on `lines`; returns how many connected. */
export async function seedHistory(
  storage: Pick<Storage, 'ledger' | 'history'>,
  options: { calls: number; days: number; nowMs: number; lines?: readonly string[]; seed?: number },
): Promise<number> {
  const draw = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(draw() * items.length)] as T;
  const lines = options.lines ?? ['main'];
  let connectedCalls = 0;
  for (let i = 0; i < options.calls; i++) {
    // More calls in working hours and on recent days.
    const dayAgo = Math.floor(draw() ** 1.3 * options.days);
    const createdAt = options.nowMs - dayAgo * 86_400_000 - Math.floor(draw() * 10 * 3_600_000) - 60_000;
    const guestNumber = `5730${String(10_000_000 + i).padStart(8, '0')}`;
    const { room } = createRoom({
      nowMs: createdAt,
      ttlSeconds: 86_400,
      line: pick(lines),
      owners: [
        { waId: `5730${String(20_000_000 + (i % 40)).padStart(8, '0')}`, name: pick(NAMES) },
        { waId: guestNumber, name: pick(NAMES) },
      ],
    });
    const template = draw() < 0.3;
    await storage.ledger.commit(
      `seed-${room.id}`,
      {
        rooms: [room],
        messages: [
          {
            id: `seed-${room.id}:invitee`,
            kind: 'invitation',
            line: room.line,
            to: guestNumber,
            roomId: room.id,
            content: template
              ? { type: 'template', template: { name: 'invite', language: { code: 'es' } } }
              : { type: 'interactive', interactive: { type: 'cta_url' } },
          },
        ],
      },
      createdAt,
    );
    let step = 0;
    const happen = (afterMs: number, change: HistoryChange) =>
      storage.history.record({
        id: `${room.id}:${step++}`,
        roomId: room.id,
        atMs: createdAt + afterMs,
        change,
      });
    const outcome = draw();
    if (outcome < 0.08) {
      await happen(2_000, {
        kind: 'invitation',
        participant: 'guest',
        state: 'failed',
        errorCode: pick([131047, 131026, 131049]),
      });
      continue;
    }
    await happen(1_000, { kind: 'invitation', participant: 'guest', state: 'sent' });
    await happen(3_000, { kind: 'invitation', participant: 'guest', state: 'delivered' });
    if (outcome < 0.12) {
      await happen(30_000, { kind: 'declined' });
      continue;
    }
    await happen(20_000, { kind: 'invitation', participant: 'guest', state: 'read' });
    await happen(40_000, { kind: 'joined', participant: 'host', ...pick(AGENTS) });
    if (outcome < 0.2) continue;
    await happen(90_000, { kind: 'joined', participant: 'guest', ...pick(AGENTS) });
    const setupMs = Math.round(600 + draw() ** 2 * 9_000);
    const path = draw() < 0.18 ? 'relay' : 'direct';
    await happen(92_000, { kind: 'connected', participant: 'guest', setupMs, path });
    connectedCalls++;
    const minutes = 1 + draw() ** 1.5 * 50;
    await happen(92_000 + Math.round(minutes * 60_000), {
      kind: 'left',
      participant: draw() < 0.5 ? 'host' : 'guest',
      reason: 'hangup',
    });
  }
  return connectedCalls;
}
