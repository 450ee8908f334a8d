import { limitHit } from '../../calls/create-call.js';
import type { CallCommit, GuardedCall, MessageEffects, MessageLedger } from '../../calls/message-ledger.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import type { PostgresOutbox } from './postgres-outbox.js';
import type { PostgresPeopleStore } from './postgres-people-store.js';
import type { PostgresRoomStore } from './postgres-room-store.js';

/**
 * MessageLedger on PostgreSQL: one transaction writes the message id, its rooms and its outgoing messages.
 * Every instance commits through the same table, so the primary key on the message id is what makes handling
 * exactly-once across the cluster: a second transaction with the same id waits for the first, then inserts
 * nothing.
 */
export class PostgresMessageLedger implements MessageLedger {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly rooms: PostgresRoomStore,
    private readonly outbox: PostgresOutbox,
    private readonly people: PostgresPeopleStore,
  ) {}

  commit(messageId: string, effects: MessageEffects, nowMs: number): Promise<boolean> {
    return this.db.transaction(async (client) => {
      if (!(await markProcessed(client, messageId, nowMs))) return false;
      await this.#write(client, effects, nowMs);
      return true;
    });
  }

  commitCall(messageId: string, call: GuardedCall, nowMs: number): Promise<CallCommit> {
    return this.db.transaction(async (client) => {
      if (!(await markProcessed(client, messageId, nowMs))) return 'duplicate';
      const { guard } = call;
      // Calls by one creator are counted one transaction at a time, on every instance: a lock on the creator,
      // held until commit, so that two cannot both see the last call the limit allows.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('call-limits:' || $1, 0))", [
        guard.creator,
      ]);
      const refused = limitHit(guard, {
        callsSince: await this.rooms.countCreatedBy(guard.creator, guard.sinceMs, client),
        lastPairAtMs: await this.rooms.lastCreatedAtMs(guard.creator, guard.invitee, client),
      });
      await this.#write(client, refused === undefined ? call.effects : call.refusals[refused], nowMs);
      return refused ?? 'created';
    });
  }

  async pruneBefore(beforeMs: number): Promise<number> {
    const result = await this.db.query('DELETE FROM processed_messages WHERE processed_at < $1', [beforeMs]);
    return result.rowCount ?? 0;
  }

  async #write(client: Queryable, effects: MessageEffects, nowMs: number): Promise<void> {
    for (const room of effects.rooms) await this.rooms.insert(client, room);
    for (const message of effects.messages) await this.outbox.insert(client, message, nowMs);
    const { inbound } = effects;
    if (inbound !== undefined)
      await this.people.recordInbound(client, inbound.person, inbound.atMs, inbound.language);
  }
}

/** Records the id as handled; false when it was before (or a concurrent transaction just did). */
async function markProcessed(client: Queryable, messageId: string, nowMs: number): Promise<boolean> {
  const result = await client.query(
    'INSERT INTO processed_messages (id, processed_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
    [messageId, nowMs],
  );
  return result.rowCount === 1;
}
