import type { PostgresDatabase } from './postgres-database.js';

// The instances sharing one database, each beating every few seconds. Two things rest on it: a second live
// instance without shared live state (Redis) is refused, since its calls' two people could land on different
// processes that cannot see each other; and a dead instance's half-done sends are taken over.

/** How often an instance beats. */
export const INSTANCE_HEARTBEAT_MS = 3_000;
/** An instance that has not beaten for this long is dead. */
export const INSTANCE_TIMEOUT_MS = 10_000;

/** Why an instance may not join the others on this database. */
export class InstanceConflictError extends Error {
  constructor(others: number) {
    super(
      `Another instance (${others}) is running on this DATABASE_URL without shared live state. Several ` +
        'instances need REDIS_URL, every one of them (docs/deployment.md); or stop the other instance.',
    );
    this.name = 'InstanceConflictError';
  }
}

/** This instance's entry in the database, kept alive until `close`. */
export class InstanceRegistration {
  readonly #timer: NodeJS.Timeout;

  private constructor(
    private readonly db: PostgresDatabase,
    readonly id: string,
    now: () => number,
    onError: (message: string) => void,
  ) {
    this.#timer = setInterval(() => {
      db.query('UPDATE instances SET heartbeat_at = $1 WHERE id = $2', [now(), id]).catch((error: Error) =>
        onError(`instance heartbeat failed: ${error.message}`),
      );
    }, INSTANCE_HEARTBEAT_MS);
    this.#timer.unref();
  }

  /**
   * Registers instance `id`; throws InstanceConflictError when another live instance is there and either of
   * them keeps its live state in its own memory. Registrations are serialized by a lock, so that two instances
   * starting at the same moment cannot both see an empty table.
   */
  static async register(
    db: PostgresDatabase,
    request: { id: string; sharedLiveState: boolean; now: () => number; onError: (message: string) => void },
  ): Promise<InstanceRegistration> {
    const nowMs = request.now();
    await db.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('instances', 0))");
      await client.query('DELETE FROM instances WHERE heartbeat_at <= $1', [nowMs - INSTANCE_TIMEOUT_MS]);
      const { rows } = await client.query<{ n: number; local: number }>(
        'SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT shared_live_state)::int AS local FROM instances',
      );
      const others = rows[0] ?? { n: 0, local: 0 };
      if (others.n > 0 && (!request.sharedLiveState || others.local > 0)) {
        throw new InstanceConflictError(others.n);
      }
      await client.query(
        'INSERT INTO instances (id, started_at, heartbeat_at, shared_live_state) VALUES ($1, $2, $2, $3)',
        [request.id, nowMs, request.sharedLiveState],
      );
    });
    return new InstanceRegistration(db, request.id, request.now, request.onError);
  }

  /** Leaves the table: the instance's sends are finished or recoverable by the others at once. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.db.query('DELETE FROM instances WHERE id = $1', [this.id]).catch(() => undefined);
  }
}
