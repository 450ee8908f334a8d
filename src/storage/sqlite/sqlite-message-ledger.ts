import type { SqliteRoomStore } from './sqlite-room-store.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { limitHit } from '../../calls/create-call.js';
import type { CallCommit, GuardedCall, MessageEffects, MessageLedger } from '../../calls/message-ledger.js';
import type { SqliteOutbox } from './sqlite-outbox.js';
import type { SqlitePeopleStore } from './sqlite-people-store.js';
import type { SqliteApiKeyStore } from './sqlite-api-key-store.js';
import { changeRowNow, type sqliteExecutor } from './sqlite-sql-runner.js';
import { insertCall, recordSteps } from '../../history/history-writes.js';
import { newCallRecord } from '../../history/call-history.js';

/**
 * MessageLedger on SQLite: one transaction writes the message id, its rooms (with their history rows) and its
 * outgoing messages.
 */
export class SqliteMessageLedger implements MessageLedger {
  readonly #commit;
  readonly #commitCall;
  readonly #prune;

  constructor(
    db: SqliteDatabase,
    rooms: SqliteRoomStore,
    outbox: SqliteOutbox,
    people: SqlitePeopleStore,
    apiKeys: SqliteApiKeyStore,
    history: ReturnType<typeof sqliteExecutor>,
  ) {
    const markProcessed = db.prepare<[string, number]>(
      'INSERT INTO processed_messages (id, processed_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
    );
    const write = (effects: MessageEffects, nowMs: number) => {
      for (const room of effects.rooms) {
        rooms.insert(room);
        // The call's history row exists exactly when its room does.
        const call = insertCall(newCallRecord(room, effects.messages));
        if (history.execute(call.row) > 0) for (const statement of call.then) history.execute(statement);
      }
      for (const message of effects.messages) outbox.insert(message, nowMs);
      for (const event of effects.history ?? []) changeRowNow(history, recordSteps(event));
      if (effects.apiRequest !== undefined) apiKeys.recordRequestSync(effects.apiRequest, nowMs);
      const { inbound } = effects;
      if (inbound !== undefined) {
        people.recordInbound(inbound.line, inbound.person, inbound.atMs, inbound.language);
        if (inbound.number !== undefined) people.link(inbound.line, inbound.number, inbound.person);
      }
    };
    this.#commit = db.transaction((messageId: string, effects: MessageEffects, nowMs: number): boolean => {
      if (markProcessed.run(messageId, nowMs).changes === 0) return false;
      write(effects, nowMs);
      return true;
    });
    this.#commitCall = db.transaction((messageId: string, call: GuardedCall, nowMs: number): CallCommit => {
      if (markProcessed.run(messageId, nowMs).changes === 0) return 'duplicate';
      const { guard } = call;
      // The creator's calls under each of their identities (a number, a user id) are one person's.
      const creators = [guard.creator, ...guard.aliases];
      const pairTimes = creators
        .map((creator) => rooms.lastCreatedAtMsSync(creator, guard.invitee, guard.line))
        .filter((at) => at !== undefined);
      const refused = limitHit(guard, {
        callsSince: creators.reduce(
          (calls, creator) => calls + rooms.countCreatedBySync(creator, guard.sinceMs, guard.line),
          0,
        ),
        lastPairAtMs: pairTimes.length === 0 ? undefined : Math.max(...pairTimes),
      });
      write(refused === undefined ? call.effects : call.refusals[refused], nowMs);
      return refused ?? 'created';
    });
    this.#prune = db.prepare<[number]>('DELETE FROM processed_messages WHERE processed_at < ?');
  }

  commit(messageId: string, effects: MessageEffects, nowMs: number): Promise<boolean> {
    // IMMEDIATE takes the write lock up front, so two processes sharing the file cannot both pass the check.
    return Promise.resolve(this.#commit.immediate(messageId, effects, nowMs));
  }

  commitCall(messageId: string, call: GuardedCall, nowMs: number): Promise<CallCommit> {
    return Promise.resolve(this.#commitCall.immediate(messageId, call, nowMs));
  }

  pruneBefore(beforeMs: number): Promise<number> {
    return Promise.resolve(this.#prune.run(beforeMs).changes);
  }
}
