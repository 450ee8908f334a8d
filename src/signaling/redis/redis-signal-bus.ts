import { randomBytes } from 'node:crypto';
import {
  PENDING_FRAMES_LIMIT,
  PENDING_FRAMES_TTL_MS,
  type SeatAddress,
  type SeatSubscriber,
  type SignalBus,
} from '../signal-bus.js';
import { redisKeys, type RedisConnections } from './redis-live-state.js';
import { runScript } from './redis-scripts.js';

// Frames between instances over Redis pub/sub: a channel per seat, subscribed by the instance whose socket
// holds the seat. A frame to a seat nobody subscribes to is kept in a list (the same Lua script publishes and,
// finding no receiver, keeps it, so that a subscriber arriving in between cannot miss it). A new subscriber
// subscribes first, then announces itself (the previous one, wherever it is, is displaced), then takes what
// waited: nothing is lost between the two, and nothing arrives twice.
//
// Frames that may wait are stamped, inside Redis, with the seat's generation: the count of its discards (a new
// page load, a hang-up). A frame that comes back to be kept after a discard (it was on its way to a socket that
// was closing) carries an older stamp and is dropped: it was meant for a page load that is gone.

/** A message on a seat channel: a kept frame, a passing frame, or a new subscriber's token. */
const KEEP = 'k';
const PASS = 'n';
const DISPLACE = 'd';
/** Frames were kept after all (a socket closing as they arrived): the seat's current subscriber takes them. */
const WAKE = 'w';
/** A generation outlives any frame stamped with it. */
const GENERATION_TTL_MS = 24 * 60 * 60_000;

// KEYS: pending list, generation. ARGV: channel, kind, frame, limit, ttl. A kept frame goes out as
// `k<generation>:<frame>`, and waits as `<generation>:<frame>` when nobody received it.
const PUBLISH_OR_KEEP = `
if ARGV[2] ~= 'k' then return redis.call('PUBLISH', ARGV[1], ARGV[2] .. ARGV[3]) end
local item = (redis.call('GET', KEYS[2]) or '0') .. ':' .. ARGV[3]
local receivers = redis.call('PUBLISH', ARGV[1], 'k' .. item)
if receivers == 0 then
  redis.call('RPUSH', KEYS[1], item)
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[4]), -1)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return receivers`;

// KEYS: pending list, generation. ARGV: channel, wake message, limit, ttl, then the frames to keep, in order,
// each `<generation>:<frame>` (an empty generation: the current one). Returns how many were kept.
const KEEP_FRAMES = `
local generation = redis.call('GET', KEYS[2]) or '0'
local kept = 0
for i = 5, #ARGV do
  local colon = string.find(ARGV[i], ':', 1, true)
  local stamp = string.sub(ARGV[i], 1, colon - 1)
  if stamp == '' or stamp == generation then
    redis.call('RPUSH', KEYS[1], generation .. string.sub(ARGV[i], colon))
    kept = kept + 1
  end
end
if kept > 0 then
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PUBLISH', ARGV[1], ARGV[2])
end
return kept`;

// KEYS[1] pending list. Returns what waited, and forgets it.
const TAKE = `
local frames = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return frames`;

// KEYS: pending list, generation. ARGV: the generation's time to live.
const DISCARD = `
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1`;

/** The frame a channel message carries (a kept one after its generation stamp). */
function frameOf(message: string): string {
  return message[0] === KEEP ? message.slice(message.indexOf(':') + 1) : message.slice(1);
}

/** The frames, `<generation>:<frame>`, of the kept messages among `messages`. */
function keptIn(messages: readonly string[]): string[] {
  return messages.filter((message) => message[0] === KEEP).map((message) => message.slice(1));
}

/** The seat's pending list and generation, the keys of the scripts that keep frames. */
function seatKeys(to: SeatAddress): [string, string] {
  return [redisKeys.pending(to.roomId, to.seat), redisKeys.generation(to.roomId, to.seat)];
}

interface Subscription {
  readonly subscriber: SeatSubscriber;
  readonly token: string;
  /** Frames that arrived while what waited was being taken: delivered right after it, in order. */
  buffer: string[] | undefined;
}

/** SignalBus on Redis pub/sub, with lists for frames that wait. */
export class RedisSignalBus implements SignalBus {
  /** Channel → this instance's subscriber for that seat. */
  readonly #local = new Map<string, Subscription>();
  /** Channel → the SUBSCRIBE that made it this instance's: later subscribers of the seat wait for the same. */
  readonly #listening = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: RedisConnections,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    redis.subscriptions.on('message', (channel: string, message: string) => this.#received(channel, message));
    // Back from a reconnection (ioredis subscribes to the channels again): what was kept meanwhile is taken.
    redis.subscriptions.on('ready', () => {
      for (const [channel, mine] of this.#local) {
        const [roomId, seat] = channel.split(':').slice(2) as [string, string];
        this.#takeWaiting({ roomId, seat: seat === '1' ? 1 : 0 }, channel, mine).catch((error: Error) =>
          this.onError(`Redis take: ${error.message}`),
        );
      }
    });
  }

  publish(to: SeatAddress, frame: string, keep: boolean): void {
    const channel = redisKeys.seatChannel(to.roomId, to.seat);
    const local = this.#local.get(channel);
    if (local !== undefined && local.buffer === undefined) {
      // The seat's socket is on this instance: no round trip through Redis.
      if (!local.subscriber.deliver(frame) && keep) this.#keep(to, [`:${frame}`], local.token);
      return;
    }
    runScript(
      this.redis.commands,
      PUBLISH_OR_KEEP,
      seatKeys(to),
      channel,
      keep ? KEEP : PASS,
      frame,
      PENDING_FRAMES_LIMIT,
      PENDING_FRAMES_TTL_MS,
    ).catch((error: Error) => this.onError(`Redis publish: ${error.message}`));
  }

  subscribe(to: SeatAddress, subscriber: SeatSubscriber): () => void {
    const channel = redisKeys.seatChannel(to.roomId, to.seat);
    const previous = this.#local.get(channel);
    // The token names the instance: its own announcements are ignored here (local takeovers happen at once).
    const mine: Subscription = {
      subscriber,
      token: `${this.redis.instanceId}/${randomBytes(12).toString('base64url')}`,
      buffer: [],
    };
    this.#local.set(channel, mine);
    if (previous !== undefined && previous.subscriber !== subscriber) previous.subscriber.displaced();
    this.#start(to, channel, mine).catch((error: Error) => this.onError(`Redis subscribe: ${error.message}`));
    return () => {
      if (this.#local.get(channel) !== mine) return;
      this.#local.delete(channel);
      this.#stopListening(channel);
    };
  }

  discard(to: SeatAddress): void {
    runScript(this.redis.commands, DISCARD, seatKeys(to), GENERATION_TTL_MS).catch((error: Error) =>
      this.onError(`Redis discard: ${error.message}`),
    );
  }

  /** Resolves once Redis has handled every frame published before: commands on one connection keep order. */
  async flush(): Promise<void> {
    await this.redis.commands.ping();
  }

  /** Forgets this instance's subscribers; the connections close with the hub. */
  close(): Promise<void> {
    this.#local.clear();
    this.#listening.clear();
    return Promise.resolve();
  }

  async #start(to: SeatAddress, channel: string, mine: Subscription): Promise<void> {
    let listening = this.#listening.get(channel);
    if (listening === undefined) {
      listening = this.redis.subscriptions.subscribe(channel);
      this.#listening.set(channel, listening);
    }
    await listening;
    if (this.#local.get(channel) !== mine) {
      // Gone before its subscription was up: announcing itself now could displace a newer subscriber elsewhere.
      this.#keep(to, keptIn(mine.buffer ?? []), mine.token);
      return;
    }
    // Another instance's subscriber for this seat (a reload that reached another instance) lets go.
    await this.redis.commands.publish(channel, DISPLACE + mine.token);
    await this.#takeWaiting(to, channel, mine);
  }

  /**
   * Delivers what waited for the seat, then what came on the channel while it was being taken (held back
   * meanwhile), in that order.
   */
  async #takeWaiting(to: SeatAddress, channel: string, mine: Subscription): Promise<void> {
    mine.buffer ??= [];
    const waiting = (await runScript(
      this.redis.commands,
      TAKE,
      redisKeys.pending(to.roomId, to.seat),
    )) as string[];
    const arrived = mine.buffer ?? [];
    mine.buffer = undefined;
    const frames = [...waiting.map((item) => KEEP + item), ...arrived];
    const keptFrom = (from: number) => keptIn(frames.slice(from));
    if (this.#local.get(channel) !== mine) {
      // Displaced or gone meanwhile: what waited goes back for the next subscriber.
      this.#keep(to, keptFrom(0), mine.token);
      return;
    }
    let woken = false;
    for (let i = 0; i < frames.length; i++) {
      const message = frames[i] as string;
      if (message[0] === WAKE) woken ||= message.slice(1) !== mine.token;
      if (message[0] !== KEEP && message[0] !== PASS) continue;
      if (!mine.subscriber.deliver(frameOf(message))) {
        // A socket that closed meanwhile: the kept frames wait for its return.
        this.#keep(to, keptFrom(i), mine.token);
        return;
      }
    }
    // Frames were kept elsewhere while these were taken: take those too.
    if (woken) await this.#takeWaiting(to, channel, mine);
  }

  #received(channel: string, message: string): void {
    const local = this.#local.get(channel);
    const kind = message[0];
    if (kind === DISPLACE) {
      if (local !== undefined && !message.startsWith(`${DISPLACE}${this.redis.instanceId}/`)) {
        this.#local.delete(channel);
        this.#stopListening(channel);
        local.subscriber.displaced();
      }
      return;
    }
    const [roomId, seat] = channel.split(':').slice(2) as [string, string];
    const to: SeatAddress = { roomId, seat: seat === '1' ? 1 : 0 };
    if (local === undefined) {
      // Unsubscribed while the frame was on its way: kept frames wait for the seat's next subscriber.
      if (kind === KEEP) this.#keep(to, [message.slice(1)], '');
      return;
    }
    if (local.buffer !== undefined) {
      local.buffer.push(message);
      return;
    }
    if (kind === WAKE) {
      // Not for the subscriber that could not take them (its socket is closing): for a newer one.
      if (message.slice(1) !== local.token) {
        this.#takeWaiting(to, channel, local).catch((error: Error) =>
          this.onError(`Redis take: ${error.message}`),
        );
      }
      return;
    }
    if (!local.subscriber.deliver(frameOf(message)) && kind === KEEP) {
      this.#keep(to, [message.slice(1)], local.token);
    }
  }

  #stopListening(channel: string): void {
    this.#listening.delete(channel);
    this.redis.subscriptions
      .unsubscribe(channel)
      .catch((error: Error) => this.onError(`Redis unsubscribe: ${error.message}`));
  }

  /**
   * Keeps frames for the seat, and wakes its current subscriber to take them, unless that is the subscriber
   * (`failedToken`) that could not: its socket is closing, and its return takes them.
   */
  #keep(to: SeatAddress, frames: string[], failedToken: string): void {
    if (frames.length === 0) return;
    runScript(
      this.redis.commands,
      KEEP_FRAMES,
      seatKeys(to),
      redisKeys.seatChannel(to.roomId, to.seat),
      WAKE + failedToken,
      PENDING_FRAMES_LIMIT,
      PENDING_FRAMES_TTL_MS,
      ...frames,
    ).catch((error: Error) => this.onError(`Redis keep: ${error.message}`));
  }
}
