import { DELIVERY_RANK, outboxEntryOf, type OutboxRecord } from '../../whatsapp/outbox/outbox-record.js';
import type { Outbox, OutboxEntry, OutboxState, StatusReport } from '../../whatsapp/outbox/outbox.js';
import type { PostgresDatabase } from './postgres-database.js';
import { INSTANCE_TIMEOUT_MS } from './postgres-instances.js';

/**
 * Outbox on PostgreSQL, shared by every instance. Workers claim with FOR UPDATE SKIP LOCKED, so that no two
 * take the same message; each claim records the instance that made it (`claimed_by`).
 */
export class PostgresOutbox implements Outbox {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly instanceId: string,
  ) {}

  async claimDue(nowMs: number, limit: number, line?: string): Promise<OutboxEntry[]> {
    // Two statements rather than `line = $5 OR $5 IS NULL`, which no index serves.
    const { rows } = await this.db.query<OutboxRecord>(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = $1, claimed_by = $4
       WHERE id IN (SELECT id FROM outbox
                    WHERE state IN ('pending', 'unconfirmed') AND next_attempt_at <= $2
                      ${line === undefined ? '' : 'AND line = $5'}
                    ORDER BY next_attempt_at, created_at LIMIT $3
                    FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [nowMs, nowMs, limit, this.instanceId, ...(line === undefined ? [] : [line])],
    );
    // RETURNING keeps no order: oldest first, as claimed.
    rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.created_at - b.created_at);
    return rows.map(outboxEntryOf);
  }

  async nextDueAtMs(line?: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ due: number }>(
      `SELECT next_attempt_at AS due FROM outbox WHERE state IN ('pending', 'unconfirmed')
         ${line === undefined ? '' : 'AND line = $1'}
       ORDER BY next_attempt_at LIMIT 1`,
      line === undefined ? [] : [line],
    );
    return rows[0]?.due;
  }

  async markSent(id: string, wamid: string, nowMs: number): Promise<void> {
    await this.#finish('sent', wamid, null, nowMs, id);
  }

  async reschedule(id: string, atMs: number, error: string, nowMs: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET state = 'pending', next_attempt_at = $1, last_error = $2, updated_at = $3
       WHERE id = $4 AND state = 'sending'`,
      [atMs, error, nowMs, id],
    );
  }

  async markFailed(id: string, error: string, nowMs: number): Promise<void> {
    await this.#finish('failed', null, error, nowMs, id);
  }

  /**
   * Only the sends of instances that stopped beating are recovered: the others are still under way. Any
   * instance may run this at any time (it does, periodically): it takes over a dead one's sends within the
   * heartbeat window, and two running it at once recover each message once.
   */
  async recoverInterrupted(retryAtMs: number, nowMs: number): Promise<number> {
    const result = await this.db.query(
      `UPDATE outbox SET state = 'unconfirmed', next_attempt_at = $1, updated_at = $2
       WHERE state = 'sending'
         AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT id FROM instances WHERE heartbeat_at > $3))`,
      [retryAtMs, nowMs, nowMs - INSTANCE_TIMEOUT_MS],
    );
    return result.rowCount ?? 0;
  }

  recordStatus(
    report: StatusReport,
    nowMs: number,
  ): Promise<{ entry: OutboxEntry; changed: boolean } | undefined> {
    return this.db.transaction(async (client) => {
      // The row is locked until the transaction ends: two reports about one message apply one after the other.
      const found = await client.query<OutboxRecord>(
        `SELECT * FROM outbox WHERE id = $1 OR (id <> $1 AND wamid = $2)
         ORDER BY (id = $1) DESC LIMIT 1 FOR UPDATE`,
        [report.correlationId ?? '', report.wamid],
      );
      const row = found.rows[0];
      if (row === undefined) return undefined;
      const changed = row.delivery === null || DELIVERY_RANK[report.status] > DELIVERY_RANK[row.delivery];
      // Meta only reports on messages it accepted: whatever we were unsure of was sent.
      const { rows } = await client.query<OutboxRecord>(
        `UPDATE outbox SET
           state = CASE WHEN state IN ('sending', 'unconfirmed', 'pending') THEN 'sent' ELSE state END,
           wamid = CASE WHEN state IN ('sending', 'unconfirmed', 'pending') THEN $1 ELSE wamid END,
           delivery = CASE WHEN $2 THEN $3 ELSE delivery END,
           delivery_error = CASE WHEN $2 THEN $4 ELSE delivery_error END,
           updated_at = $5
         WHERE id = $6 RETURNING *`,
        [report.wamid, changed, report.status, report.errorCode ?? null, nowMs, row.id],
      );
      return { entry: outboxEntryOf(rows[0] as OutboxRecord), changed };
    });
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const { rows } = await this.db.query<OutboxRecord>('SELECT * FROM outbox WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : outboxEntryOf(rows[0]);
  }

  async #finish(state: OutboxState, wamid: string | null, error: string | null, nowMs: number, id: string) {
    await this.db.query(
      'UPDATE outbox SET state = $1, wamid = coalesce($2, wamid), last_error = $3, updated_at = $4 WHERE id = $5',
      [state, wamid, error, nowMs, id],
    );
  }
}
