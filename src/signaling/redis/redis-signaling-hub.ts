import type { LeaveReason } from '../../protocol/signaling-messages.js';
import type { SeatIndex } from '../../rooms/room.js';
import type { SeatAddress } from '../signal-bus.js';
import {
  IDLE_ROOM_TTL_MS,
  VOICE_BRIDGE_CLIENT_PREFIX,
  type Admission,
  type SeatClaim,
  type SeatHolder,
  type SignalingHub,
} from '../signaling-hub.js';
import { redisKeys, type RedisConnections } from './redis-live-state.js';
import { runScript } from './redis-scripts.js';

// Seat presence in Redis, shared by every instance: a hash per room (h0/h1: the holder of each seat, s0/s1:
// the last page load seen there). Each step is one Lua script, atomic on the server, so that two instances
// seating the same room at once see one order. A holder counts only while its instance's liveness key exists.

/**
 * A room someone holds expires this long after its last refresh: a safety net for keys no release reached (an
 * instance that died). Each instance refreshes the rooms its sockets hold every REFRESH_HELD_MS, so a call of
 * any length keeps its room.
 */
export const HELD_ROOM_TTL_MS = 24 * 3_600_000;
const REFRESH_HELD_MS = 3_600_000;

const ALIVE = `
local function alive(json)
  if not json then return nil end
  local holder = cjson.decode(json)
  if redis.call('EXISTS', ARGV[1] .. holder.i) == 1 then return holder end
  return nil
end
`;

// KEYS[1] room; ARGV: instance prefix, seat, client id.
const ADMISSION = `${ALIVE}
local holder = alive(redis.call('HGET', KEYS[1], 'h' .. ARGV[2]))
if not holder then return 'free' end
if holder.c == ARGV[3] or string.sub(holder.c, 1, ${VOICE_BRIDGE_CLIENT_PREFIX.length}) == '${VOICE_BRIDGE_CLIENT_PREFIX}' then
  return 'takeover'
end
return 'taken'`;

// KEYS[1] room; ARGV: instance prefix, seat.
const CONNECTED = `${ALIVE}
if alive(redis.call('HGET', KEYS[1], 'h' .. ARGV[2])) then return 1 end
return 0`;

// KEYS[1] room; ARGV: instance prefix, seat, other seat, holder JSON, session id, ttl.
const CLAIM = `${ALIVE}
local last = redis.call('HGET', KEYS[1], 's' .. ARGV[2])
redis.call('HSET', KEYS[1], 'h' .. ARGV[2], ARGV[4], 's' .. ARGV[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
local peer = alive(redis.call('HGET', KEYS[1], 'h' .. ARGV[3]))
local newPageLoad = 0
if last and last ~= ARGV[5] then newPageLoad = 1 end
if peer then return {peer.s, newPageLoad} end
return {false, newPageLoad}`;

// KEYS[1] room; ARGV: instance prefix, seat, other seat, connection id, reason, idle ttl.
const RELEASE = `${ALIVE}
local json = redis.call('HGET', KEYS[1], 'h' .. ARGV[2])
if not json or cjson.decode(json).n ~= ARGV[4] then return 0 end
redis.call('HDEL', KEYS[1], 'h' .. ARGV[2])
if ARGV[5] == 'hangup' then redis.call('HDEL', KEYS[1], 's' .. ARGV[2]) end
if not alive(redis.call('HGET', KEYS[1], 'h' .. ARGV[3])) then redis.call('PEXPIRE', KEYS[1], ARGV[6]) end
return 1`;

// KEYS[1] room; ARGV: seat, holder JSON, session id, ttl. A seat this instance still holds, written back after
// Redis lost it (a restart), unless someone else took it meanwhile.
const RESTORE = `
if redis.call('HSETNX', KEYS[1], 'h' .. ARGV[1], ARGV[2]) == 1 then
  redis.call('HSET', KEYS[1], 's' .. ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1`;

/** SignalingHub on Redis. */
export class RedisSignalingHub implements SignalingHub {
  /** The seats this instance's sockets hold, by connection: written back if Redis comes back empty. */
  readonly #held = new Map<string, { roomId: string; seat: SeatIndex; json: string; sessionId: string }>();

  readonly #refresh: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisConnections,
    private readonly idleRoomTtlMs: number = IDLE_ROOM_TTL_MS,
    onError: (message: string) => void = () => undefined,
    refreshHeldMs: number = REFRESH_HELD_MS,
  ) {
    // After a reconnection (Redis restarted, or the network dropped) the seats held here are claimed again.
    redis.commands.on('ready', () => {
      this.#restore().catch((error: Error) => onError(`Redis restore: ${error.message}`));
    });
    this.#refresh = setInterval(() => {
      this.#refreshHeld().catch((error: Error) => onError(`Redis refresh: ${error.message}`));
    }, refreshHeldMs);
    this.#refresh.unref();
  }

  async admission(roomId: string, seat: SeatIndex, clientId: string): Promise<Admission> {
    return (await this.#run(ADMISSION, roomId, seat, clientId)) as Admission;
  }

  async isConnected(roomId: string, seat: SeatIndex): Promise<boolean> {
    return (await this.#run(CONNECTED, roomId, seat)) === 1;
  }

  async claim({ roomId, seat }: SeatAddress, holder: SeatHolder): Promise<SeatClaim> {
    const json = JSON.stringify({
      n: holder.connectionId,
      c: holder.clientId,
      s: holder.sessionId,
      i: this.redis.instanceId,
    });
    this.#held.set(holder.connectionId, { roomId, seat, json, sessionId: holder.sessionId });
    const [peerSessionId, newPageLoad] = (await this.#run(
      CLAIM,
      roomId,
      seat,
      1 - seat,
      json,
      holder.sessionId,
      HELD_ROOM_TTL_MS,
    )) as [string | null, number];
    return { peerSessionId: peerSessionId ?? null, newPageLoad: newPageLoad === 1 };
  }

  async release({ roomId, seat }: SeatAddress, connectionId: string, reason: LeaveReason): Promise<boolean> {
    this.#held.delete(connectionId);
    return (await this.#run(RELEASE, roomId, seat, 1 - seat, connectionId, reason, this.idleRoomTtlMs)) === 1;
  }

  /** Closes the instance's connections, the bus's too (RoomSignaling closes the bus first, then the hub). */
  close(): Promise<void> {
    clearInterval(this.#refresh);
    return this.redis.close();
  }

  /** Pushes back the expiry of every room a socket of this instance holds (one pipeline). */
  async #refreshHeld(): Promise<void> {
    const rooms = new Set([...this.#held.values()].map((held) => held.roomId));
    if (rooms.size === 0) return;
    const pipeline = this.redis.commands.pipeline();
    for (const roomId of rooms) pipeline.pexpire(redisKeys.room(roomId), HELD_ROOM_TTL_MS);
    await pipeline.exec();
  }

  async #restore(): Promise<void> {
    for (const { roomId, seat, json, sessionId } of this.#held.values()) {
      await runScript(
        this.redis.commands,
        RESTORE,
        redisKeys.room(roomId),
        seat,
        json,
        sessionId,
        HELD_ROOM_TTL_MS,
      );
    }
  }

  #run(script: string, roomId: string, ...args: (string | number)[]): Promise<unknown> {
    return runScript(this.redis.commands, script, redisKeys.room(roomId), redisKeys.instancePrefix, ...args);
  }
}
