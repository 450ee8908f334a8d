import { z } from 'zod';
import type { SqliteDatabase } from '../storage/sqlite.js';
import type { Outbox, OutboxEntry, OutboxState, OutgoingMessage } from './outbox.js';

const contentSchema = z.looseObject({ type: z.string() });

interface OutboxRow {
  id: string;
  room_id: string | null;
  recipient: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  wamid: string | null;
  last_error: string | null;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    to: row.recipient,
    content: contentSchema.parse(JSON.parse(row.payload)),
    roomId: row.room_id ?? undefined,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at,
    wamid: row.wamid ?? undefined,
    lastError: row.last_error ?? undefined,
  };
}

/** Outbox on SQLite. `insert` is synchronous so that MessageLedger can call it inside its transaction. */
export class SqliteOutbox implements Outbox {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #claim;
  readonly #nextDue;
  readonly #finish;
  readonly #reschedule;
  readonly #recover;
  readonly #get;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#insert = db.prepare<[string, string | null, string, string, number, number, number]>(
      `INSERT INTO outbox (id, room_id, recipient, payload, state, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
    );
    this.#claim = db.prepare<[number, number, number], OutboxRow>(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, created_at LIMIT ?)
       RETURNING *`,
    );
    this.#nextDue = db.prepare<[], { due: number | null }>(
      `SELECT MIN(next_attempt_at) AS due FROM outbox WHERE state = 'pending'`,
    );
    this.#finish = db.prepare<[OutboxState, string | null, string | null, number, string]>(
      `UPDATE outbox SET state = ?, wamid = coalesce(?, wamid), last_error = ?, updated_at = ? WHERE id = ?`,
    );
    this.#reschedule = db.prepare<[number, string, number, string]>(
      `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`,
    );
    this.#recover = db.prepare<[number, number]>(
      `UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = 'sending'`,
    );
    this.#get = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
  }

  insert(message: OutgoingMessage, nowMs: number): void {
    this.#insert.run(
      message.id,
      message.roomId ?? null,
      message.to,
      JSON.stringify(message.content),
      nowMs,
      nowMs,
      nowMs,
    );
  }

  claimDue(nowMs: number, limit: number): Promise<OutboxEntry[]> {
    const rows = this.#db.transaction(() => this.#claim.all(nowMs, nowMs, limit))();
    return Promise.resolve(rows.map(toEntry));
  }

  nextDueAtMs(): Promise<number | undefined> {
    return Promise.resolve(this.#nextDue.get()?.due ?? undefined);
  }

  markSent(id: string, wamid: string, nowMs: number): Promise<void> {
    this.#finish.run('sent', wamid, null, nowMs, id);
    return Promise.resolve();
  }

  reschedule(id: string, atMs: number, error: string, nowMs: number): Promise<void> {
    this.#reschedule.run(atMs, error, nowMs, id);
    return Promise.resolve();
  }

  markFailed(id: string, error: string, nowMs: number): Promise<void> {
    this.#finish.run('failed', null, error, nowMs, id);
    return Promise.resolve();
  }

  recoverInterrupted(nowMs: number): Promise<number> {
    return Promise.resolve(this.#recover.run(nowMs, nowMs).changes);
  }

  get(id: string): Promise<OutboxEntry | undefined> {
    const row = this.#get.get(id);
    return Promise.resolve(row === undefined ? undefined : toEntry(row));
  }
}
