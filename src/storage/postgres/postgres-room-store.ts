import type { Room, SeatIndex } from '../../rooms/room.js';
import { linksOf, roomOf, type RoomRecord } from '../../rooms/room-record.js';
import type { BookedRoom, RoomListQuery, RoomStore } from '../../rooms/room-store.js';
import type { PostgresDatabase } from './postgres-database.js';

const COLUMNS =
  'id, created_at, expires_at, seats, line, api_key_id, details, cancelled_at, seat0_joined_at, seat1_joined_at, starts_at, ended_at';

/** RoomStore on PostgreSQL (the ledger writes rooms, in its transaction). */
export class PostgresRoomStore implements RoomStore {
  constructor(private readonly db: PostgresDatabase) {}

  async get(roomId: string): Promise<Room | undefined> {
    const { rows } = await this.db.query<RoomRecord>(`SELECT ${COLUMNS} FROM rooms WHERE id = $1`, [roomId]);
    return rows[0] === undefined ? undefined : roomOf(rows[0]);
  }

  async latestInvitationFor(invitee: string, nowMs: number, line: string): Promise<Room | undefined> {
    const { rows } = await this.db.query<RoomRecord>(
      `SELECT ${COLUMNS} FROM rooms WHERE invitee = $1 AND expires_at > $2 AND line = $3
       ORDER BY created_at DESC LIMIT 1`,
      [invitee, nowMs, line],
    );
    return rows[0] === undefined ? undefined : roomOf(rows[0]);
  }

  async markJoined(roomId: string, seat: SeatIndex, atMs: number): Promise<boolean> {
    const column = seat === 0 ? 'seat0_joined_at' : 'seat1_joined_at';
    const result = await this.db.query(
      `UPDATE rooms SET ${column} = $1 WHERE id = $2 AND ${column} IS NULL`,
      [atMs, roomId],
    );
    return result.rowCount === 1;
  }

  async waitingForSecondPerson(
    joinedBeforeMs: number,
    nowMs: number,
  ): Promise<{ room: Room; waitingSeat: SeatIndex }[]> {
    const { rows } = await this.db.query<RoomRecord & { waiting_seat: 0 | 1 }>(
      `SELECT ${COLUMNS}, CASE WHEN seat0_joined_at IS NULL THEN 0 ELSE 1 END AS waiting_seat FROM rooms
       WHERE nudged_at IS NULL AND expires_at > $1 AND (starts_at IS NULL OR starts_at <= $1)
         AND ((seat0_joined_at < $2 AND seat1_joined_at IS NULL) OR (seat1_joined_at < $2 AND seat0_joined_at IS NULL))
       LIMIT 100`,
      [nowMs, joinedBeforeMs],
    );
    return rows.map((row) => ({ room: roomOf(row), waitingSeat: row.waiting_seat }));
  }

  async markNudged(roomId: string, atMs: number): Promise<void> {
    await this.db.query('UPDATE rooms SET nudged_at = $1 WHERE id = $2', [atMs, roomId]);
  }

  countCreatedBy(inviter: string, sinceMs: number, line: string): Promise<number> {
    return this.db
      .query<{ n: number }>(
        'SELECT count(*)::int AS n FROM rooms WHERE line = $3 AND inviter = $1 AND created_at >= $2',
        [inviter, sinceMs, line],
      )
      .then(({ rows }) => rows[0]?.n ?? 0);
  }

  lastCreatedAtMs(inviter: string, invitee: string, line: string): Promise<number | undefined> {
    return this.db
      .query<{ at: number | null }>(
        'SELECT max(created_at) AS at FROM rooms WHERE inviter = $1 AND invitee = $2 AND line = $3',
        [inviter, invitee, line],
      )
      .then(({ rows }) => rows[0]?.at ?? undefined);
  }

  async remindersDue(startsByMs: number, nowMs: number, limit: number): Promise<BookedRoom[]> {
    const { rows } = await this.db.query<RoomRecord>(
      `SELECT ${COLUMNS}, links FROM rooms WHERE starts_at IS NOT NULL AND reminded_at IS NULL AND starts_at <= $1
         AND expires_at > $2 AND cancelled_at IS NULL
       ORDER BY starts_at LIMIT $3`,
      [startsByMs, nowMs, limit],
    );
    return rows.map((row) => ({ room: roomOf(row), links: linksOf(row.links) }));
  }

  async markReminded(roomId: string, startsAtMs: number, atMs: number): Promise<void> {
    await this.db.query('UPDATE rooms SET reminded_at = $1 WHERE id = $2 AND starts_at = $3', [
      atMs,
      roomId,
      startsAtMs,
    ]);
  }

  async reschedule(roomId: string, startsAtMs: number, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE rooms SET starts_at = $1, expires_at = $2, reminded_at = NULL, nudged_at = NULL
       WHERE id = $3 AND starts_at IS NOT NULL AND cancelled_at IS NULL AND expires_at > $4`,
      [startsAtMs, expiresAtMs, roomId, nowMs],
    );
    return result.rowCount === 1;
  }

  async markEnded(roomId: string, atMs: number): Promise<void> {
    await this.db.query('UPDATE rooms SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL', [atMs, roomId]);
  }

  async summariesDue(sinceMs: number, noShowBeforeMs: number, limit: number): Promise<Room[]> {
    const { rows } = await this.db.query<RoomRecord>(
      `SELECT ${COLUMNS} FROM rooms WHERE summarized_at IS NULL AND cancelled_at IS NULL AND created_at >= $1
         AND ((ended_at IS NOT NULL AND seat0_joined_at IS NOT NULL AND seat1_joined_at IS NOT NULL)
           OR (seat1_joined_at IS NULL AND coalesce(starts_at, created_at) < $2))
       ORDER BY created_at LIMIT $3`,
      [sinceMs, noShowBeforeMs, limit],
    );
    return rows.map(roomOf);
  }

  async markSummarized(roomId: string, atMs: number): Promise<void> {
    await this.db.query('UPDATE rooms SET summarized_at = $1 WHERE id = $2', [atMs, roomId]);
  }

  async bookedBy(inviter: string, line: string, nowMs: number): Promise<Room[]> {
    const { rows } = await this.db.query<RoomRecord>(
      `SELECT ${COLUMNS} FROM rooms WHERE inviter = $1 AND line = $2 AND starts_at IS NOT NULL
         AND cancelled_at IS NULL AND expires_at > $3
       ORDER BY starts_at LIMIT 10`,
      [inviter, line, nowMs],
    );
    return rows.map(roomOf);
  }

  async cancel(roomId: string, atMs: number): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE rooms SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL AND expires_at > $1',
      [atMs, roomId],
    );
    return result.rowCount === 1;
  }

  async list(query: RoomListQuery): Promise<Room[]> {
    const { after } = query;
    const { rows } = await this.db.query<RoomRecord>(
      `SELECT ${COLUMNS} FROM rooms WHERE line = ANY($1)
         ${after === undefined ? '' : 'AND (created_at, id) < ($3, $4)'}
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [query.lines, query.limit, ...(after === undefined ? [] : [after.createdAtMs, after.id])],
    );
    return rows.map(roomOf);
  }

  async expiredBetween(
    after: { expiresAtMs: number; id: string },
    untilMs: number,
    limit: number,
  ): Promise<Room[]> {
    const { rows } = await this.db.query<RoomRecord>(
      `SELECT ${COLUMNS} FROM rooms WHERE (expires_at, id) > ($1, $2) AND expires_at <= $3 AND cancelled_at IS NULL
       ORDER BY expires_at, id LIMIT $4`,
      [after.expiresAtMs, after.id, untilMs, limit],
    );
    return rows.map(roomOf);
  }

  async deleteExpired(beforeMs: number): Promise<number> {
    const result = await this.db.query('DELETE FROM rooms WHERE expires_at < $1', [beforeMs]);
    return result.rowCount ?? 0;
  }
}
