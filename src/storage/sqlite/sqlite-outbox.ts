import type { SqliteDatabase } from './sqlite-database.js';
import {
  DELIVERY_RANK,
  outboxColumnsOf,
  outboxEntryOf,
  type OutboxRecord,
} from '../../whatsapp/outbox/outbox-record.js';
import type {
  DeliveryStatus,
  Outbox,
  OutboxEntry,
  OutboxState,
  OutgoingMessage,
  StatusReport,
} from '../../whatsapp/outbox/outbox.js';

/**
 * Outbox on SQLite. `insert` is synchronous so that MessageLedger can call it inside its transaction; a message
 * whose id is already there is not added again (ids are derived from their cause).
 */
export class SqliteOutbox implements Outbox {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #claim;
  readonly #claimLine;
  readonly #nextDue;
  readonly #nextDueLine;
  readonly #finish;
  readonly #reschedule;
  readonly #recover;
  readonly #get;
  readonly #getByWamid;
  readonly #confirm;
  readonly #setDelivery;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#insert = db.prepare<
      [
        string,
        string,
        string,
        string | null,
        string,
        string,
        string | null,
        string | null,
        number,
        number,
        number,
      ]
    >(
      `INSERT INTO outbox (id, kind, line, room_id, recipient, payload, context, answers, state, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#claim = db.prepare<[number, number, number], OutboxRecord>(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_due_in_order
                    WHERE state IN ('pending', 'unconfirmed') AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, created_at LIMIT ?)
       RETURNING *`,
    );
    this.#claimLine = db.prepare<[number, string, number, number], OutboxRecord>(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_due_by_line
                    WHERE line = ? AND state IN ('pending', 'unconfirmed') AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, created_at LIMIT ?)
       RETURNING *`,
    );
    this.#nextDue = db.prepare<[], { due: number | null }>(
      `SELECT next_attempt_at AS due FROM outbox INDEXED BY outbox_due_in_order
       WHERE state IN ('pending', 'unconfirmed') ORDER BY next_attempt_at LIMIT 1`,
    );
    this.#nextDueLine = db.prepare<[string], { due: number | null }>(
      `SELECT next_attempt_at AS due FROM outbox INDEXED BY outbox_due_by_line
       WHERE line = ? AND state IN ('pending', 'unconfirmed') ORDER BY next_attempt_at LIMIT 1`,
    );
    this.#finish = db.prepare<[OutboxState, string | null, string | null, number, string]>(
      `UPDATE outbox SET state = ?, wamid = coalesce(?, wamid), last_error = ?, updated_at = ? WHERE id = ?`,
    );
    this.#reschedule = db.prepare<[number, string, number, string]>(
      `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`,
    );
    this.#recover = db.prepare<[number, number]>(
      `UPDATE outbox SET state = 'unconfirmed', next_attempt_at = ?, updated_at = ? WHERE state = 'sending'`,
    );
    this.#get = db.prepare<[string], OutboxRecord>('SELECT * FROM outbox WHERE id = ?');
    this.#getByWamid = db.prepare<[string], OutboxRecord>('SELECT * FROM outbox WHERE wamid = ?');
    this.#confirm = db.prepare<[string, number, string]>(
      `UPDATE outbox SET state = 'sent', wamid = ?, updated_at = ?
       WHERE id = ? AND state IN ('sending', 'unconfirmed', 'pending')`,
    );
    this.#setDelivery = db.prepare<[DeliveryStatus, number | null, number, string]>(
      `UPDATE outbox SET delivery = ?, delivery_error = ?, updated_at = ? WHERE id = ?`,
    );
  }

  insert(message: OutgoingMessage, nowMs: number): void {
    this.#insert.run(...outboxColumnsOf(message), nowMs, nowMs, nowMs);
  }

  claimDue(nowMs: number, limit: number, line?: string): Promise<OutboxEntry[]> {
    const rows =
      line === undefined
        ? this.#claim.all(nowMs, nowMs, limit)
        : this.#claimLine.all(nowMs, line, nowMs, limit);
    // RETURNING keeps no order: oldest first, as claimed.
    rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.created_at - b.created_at);
    return Promise.resolve(rows.map(outboxEntryOf));
  }

  nextDueAtMs(line?: string): Promise<number | undefined> {
    const row = line === undefined ? this.#nextDue.get() : this.#nextDueLine.get(line);
    return Promise.resolve(row?.due ?? undefined);
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

  recoverInterrupted(retryAtMs: number, nowMs: number): Promise<number> {
    return Promise.resolve(this.#recover.run(retryAtMs, nowMs).changes);
  }

  recordStatus(
    report: StatusReport,
    nowMs: number,
  ): Promise<{ entry: OutboxEntry; changed: boolean } | undefined> {
    const result = this.#db.transaction(() => {
      const row =
        (report.correlationId === undefined ? undefined : this.#get.get(report.correlationId)) ??
        this.#getByWamid.get(report.wamid);
      if (row === undefined) return undefined;
      // Meta only reports on messages it accepted: whatever we were unsure of was sent.
      this.#confirm.run(report.wamid, nowMs, row.id);
      const changed = row.delivery === null || DELIVERY_RANK[report.status] > DELIVERY_RANK[row.delivery];
      if (changed) this.#setDelivery.run(report.status, report.errorCode ?? null, nowMs, row.id);
      return { id: row.id, changed };
    })();
    if (result === undefined) return Promise.resolve(undefined);
    const entry = outboxEntryOf(this.#get.get(result.id) as OutboxRecord);
    return Promise.resolve({ entry, changed: result.changed });
  }

  get(id: string): Promise<OutboxEntry | undefined> {
    const row = this.#get.get(id);
    return Promise.resolve(row === undefined ? undefined : outboxEntryOf(row));
  }
}
