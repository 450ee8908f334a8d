import { limitHit } from '../../calls/create-call.js';
import type { CallCommit, GuardedCall, MessageEffects, MessageLedger } from '../../calls/message-ledger.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import { outboxColumnsOf } from '../../whatsapp/outbox/outbox-record.js';
import { roomDetails } from '../../rooms/room-record.js';
import { insertCall, recordSteps } from '../../history/history-writes.js';
import { newCallRecord } from '../../history/call-history.js';
import { changeRowOn, changes } from './postgres-sql-runner.js';

/**
 * MessageLedger on PostgreSQL: one transaction writes the message id, its rooms and its outgoing messages.
 * Every instance commits through the same table, so the primary key on the message id is what makes handling
 * exactly-once across the cluster: a second transaction with the same id waits for the first, then inserts
 * nothing.
 */
export class PostgresMessageLedger implements MessageLedger {
  constructor(private readonly db: PostgresDatabase) {}

  commit(messageId: string, effects: MessageEffects, nowMs: number): Promise<boolean> {
    return this.db.transaction(async (client) => {
      if (!(await markProcessed(client, messageId, nowMs))) return false;
      await writeEffects(client, effects, nowMs);
      return true;
    });
  }

  commitCall(messageId: string, call: GuardedCall, nowMs: number): Promise<CallCommit> {
    return this.db.transaction(async (client) => {
      const { guard } = call;
      // Calls by one creator are counted one transaction at a time, on every instance: a lock on the creator,
      // taken with the message id (only when the id is new) and held until commit, so that two cannot both see
      // the last call the limit allows. The count is a statement of its own: it must see what the lock waited
      // for.
      const fresh = await client.query(
        `WITH fresh AS (
           INSERT INTO processed_messages (id, processed_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id
         )
         SELECT pg_advisory_xact_lock(hashtextextended('call-limits:' || $3 || ':' || $4, 0)) FROM fresh`,
        [messageId, nowMs, guard.line, guard.creator],
      );
      if (fresh.rowCount !== 1) return 'duplicate';
      const { rows } = await client.query<{ calls: number; last_pair_at: number | null }>(
        `SELECT (SELECT count(*)::int FROM rooms WHERE line = $4 AND inviter = ANY($1) AND created_at >= $2) AS calls,
                (SELECT max(created_at) FROM rooms WHERE inviter = ANY($1) AND invitee = $3 AND line = $4) AS last_pair_at`,
        [[guard.creator, ...guard.aliases], guard.sinceMs, guard.invitee, guard.line],
      );
      const refused = limitHit(guard, {
        callsSince: rows[0]?.calls ?? 0,
        lastPairAtMs: rows[0]?.last_pair_at ?? undefined,
      });
      await writeEffects(client, refused === undefined ? call.effects : call.refusals[refused], nowMs);
      return refused ?? 'created';
    });
  }

  async pruneBefore(beforeMs: number): Promise<number> {
    const result = await this.db.query('DELETE FROM processed_messages WHERE processed_at < $1', [beforeMs]);
    return result.rowCount ?? 0;
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

/**
 * Writes a message's rooms, outgoing messages and the sender's last message time in one statement (one round
 * trip, whatever their number): the rows travel as JSON and are unpacked by json_to_recordset.
 */
async function writeEffects(client: Queryable, effects: MessageEffects, nowMs: number): Promise<void> {
  const rooms = effects.rooms.map((room) => ({
    id: room.id,
    created_at: room.createdAtMs,
    expires_at: room.expiresAtMs,
    seats: room.seats,
    line: room.line,
    api_key_id: room.apiKeyId ?? null,
    details: roomDetails(room),
    starts_at: room.startsAtMs ?? null,
    links: room.links ?? null,
  }));
  const messages = effects.messages.map((message) => {
    const [id, kind, line, roomId, recipient, payload, context, answers] = outboxColumnsOf(message);
    return { id, kind, line, room_id: roomId, recipient, payload, context, answers };
  });
  const { inbound } = effects;
  await client.query(
    `WITH new_rooms AS (
       INSERT INTO rooms (id, created_at, expires_at, seats, line, api_key_id, details, starts_at, links)
       SELECT id, created_at, expires_at, seats, line, api_key_id, details, starts_at, links
       FROM json_to_recordset($1::json)
         AS r(id text, created_at bigint, expires_at bigint, seats json, line text, api_key_id text, details json,
              starts_at bigint, links json)
     ),
     new_messages AS (
       INSERT INTO outbox (id, kind, line, room_id, recipient, payload, context, answers, state, next_attempt_at, created_at, updated_at)
       SELECT id, kind, line, room_id, recipient, payload::json, context::json, answers, 'pending', $2, $2, $2
       FROM json_to_recordset($3::json)
         AS m(id text, kind text, line text, room_id text, recipient text, payload text, context text, answers text)
       ON CONFLICT (id) DO NOTHING
     ),
     link AS (
       -- The person's number and user id are one person on this line (a new user id replaces the old).
       INSERT INTO person_links (line, number, user_id)
       SELECT $7::text, $8::text, $4::text WHERE $8::text IS NOT NULL
       ON CONFLICT (line, number) DO UPDATE SET user_id = excluded.user_id
     ),
     api_request AS (
       INSERT INTO api_requests (key_id, idempotency_key, body_hash, answer, created_at)
       SELECT key_id, idempotency_key, body_hash, answer, $2
       FROM json_to_recordset($9::json) AS q(key_id text, idempotency_key text, body_hash text, answer json)
     ),
     sender AS (
       -- Webhooks arrive out of order: the latest message time wins; a language, once chosen, stays until changed.
       INSERT INTO people (line, id, last_inbound_at, language)
       SELECT $7::text, $4::text, $5::bigint, $6::text WHERE $4::text IS NOT NULL
       ON CONFLICT (line, id) DO UPDATE SET last_inbound_at = greatest(people.last_inbound_at, excluded.last_inbound_at),
                                      language = coalesce(excluded.language, people.language)
     )
     SELECT 1`,
    [
      JSON.stringify(rooms),
      nowMs,
      JSON.stringify(messages),
      inbound?.person ?? null,
      inbound?.atMs ?? null,
      inbound?.language ?? null,
      inbound?.line ?? null,
      inbound?.number ?? null,
      JSON.stringify(
        effects.apiRequest === undefined
          ? []
          : [
              {
                key_id: effects.apiRequest.keyId,
                idempotency_key: effects.apiRequest.idempotencyKey,
                body_hash: effects.apiRequest.bodyHash,
                answer: effects.apiRequest.answer,
              },
            ],
      ),
    ],
  );
  // The call's history row exists exactly when its room does (shared statements, on this transaction).
  for (const room of effects.rooms) {
    const call = insertCall(newCallRecord(room, effects.messages));
    if ((await changes(client, call.row)) > 0)
      for (const statement of call.then) await changes(client, statement);
  }
  for (const event of effects.history ?? []) await changeRowOn(client, recordSteps(event));
}
