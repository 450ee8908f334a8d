import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

// The connections one instance keeps to Redis, and its liveness key. Seat holders name their instance; a holder
// whose instance key has expired (the process died) no longer holds its seat, so a seat is free again within
// INSTANCE_KEY_TTL_MS of its instance's death.

/** How often an instance renews its liveness key. */
const INSTANCE_REFRESH_MS = 2_000;
/** An instance whose key was not renewed for this long is dead. */
export const INSTANCE_KEY_TTL_MS = 6_000;

/** Keys and channels, all under one prefix. */
export const redisKeys = {
  instance: (id: string) => `wwb:instance:${id}`,
  instancePrefix: 'wwb:instance:',
  room: (roomId: string) => `wwb:room:${roomId}`,
  seatChannel: (roomId: string, seat: number) => `wwb:seat:${roomId}:${seat}`,
  pending: (roomId: string, seat: number) => `wwb:pending:${roomId}:${seat}`,
  /** Counts the seat's discards: a frame stamped with an older count was meant for a page load that is gone. */
  generation: (roomId: string, seat: number) => `wwb:generation:${roomId}:${seat}`,
} as const;

/** One instance's Redis: commands, a connection for subscriptions (Redis requires its own), and liveness. */
export class RedisConnections {
  readonly instanceId = randomUUID();
  readonly commands: Redis;
  readonly subscriptions: Redis;
  readonly #refresh: NodeJS.Timeout;

  private constructor(url: string, onError: (message: string) => void) {
    // Commands wait while Redis is away (a restart) and go out when it is back; a bounded number of retries
    // turns a long outage into errors that callers log, never a crash.
    const options = { maxRetriesPerRequest: 20, connectionName: `wwb-${this.instanceId}` };
    this.commands = new Redis(url, options);
    this.subscriptions = new Redis(url, options);
    for (const client of [this.commands, this.subscriptions]) {
      client.on('error', (error: Error) => onError(`Redis: ${error.message}`));
    }
    // After a Redis restart the key is gone: the next renewal (at most INSTANCE_REFRESH_MS later) restores it.
    this.#refresh = setInterval(() => {
      this.#renew().catch((error: Error) => onError(`Redis liveness: ${error.message}`));
    }, INSTANCE_REFRESH_MS);
    this.#refresh.unref();
  }

  /** Connects to `url` and marks this instance alive. */
  static async open(
    url: string,
    onError: (message: string) => void = () => undefined,
  ): Promise<RedisConnections> {
    const connections = new RedisConnections(url, onError);
    await connections.#renew();
    return connections;
  }

  async #renew(): Promise<void> {
    await this.commands.set(redisKeys.instance(this.instanceId), '1', 'PX', INSTANCE_KEY_TTL_MS);
  }

  async close(): Promise<void> {
    clearInterval(this.#refresh);
    await this.commands.del(redisKeys.instance(this.instanceId)).catch(() => undefined);
    await Promise.all([this.commands.quit(), this.subscriptions.quit()]).catch(() => undefined);
  }
}
