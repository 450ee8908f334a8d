import type { SqliteDatabase } from './sqlite-database.js';
import type { Room, SeatIndex } from '../../rooms/room.js';
import { linksOf, roomDetailsOf, roomOf, type RoomRecord } from '../../rooms/room-record.js';
import type { BookedRoom, RoomListQuery, RoomStore } from '../../rooms/room-store.js';

/** RoomStore on SQLite. `insert` is synchronous so that MessageLedger can call it inside its transaction. */
export class SqliteRoomStore implements RoomStore {
  readonly #insert;
  readonly #get;
  readonly #deleteExpired;
  readonly #countBy;
  readonly #lastPair;
  readonly #latestFor;
  readonly #markJoined;
  readonly #waiting;
  readonly #markNudged;
  readonly #cancel;
  readonly #expiredBetween;
  readonly #remindersDue;
  readonly #markReminded;
  readonly #reschedule;
  readonly #bookedBy;
  readonly #markEnded;
  readonly #summariesDue;
  readonly #markSummarized;
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<
      [string, number, number, string, string, string | null, string | null, number | null, string | null]
    >(
      `INSERT INTO rooms (id, created_at, expires_at, seats, line, api_key_id, details, starts_at, links)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#cancel = db.prepare<[number, string, number]>(
      'UPDATE rooms SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL AND expires_at > ?',
    );
    this.#db = db;
    this.#remindersDue = db.prepare<[number, number, number], RoomRecord>(
      `SELECT * FROM rooms WHERE starts_at IS NOT NULL AND reminded_at IS NULL AND starts_at <= ?
         AND expires_at > ? AND cancelled_at IS NULL
       ORDER BY starts_at LIMIT ?`,
    );
    this.#markReminded = db.prepare<[number, string, number]>(
      'UPDATE rooms SET reminded_at = ? WHERE id = ? AND starts_at = ?',
    );
    this.#reschedule = db.prepare<[number, number, string, number]>(
      `UPDATE rooms SET starts_at = ?, expires_at = ?, reminded_at = NULL, nudged_at = NULL
       WHERE id = ? AND starts_at IS NOT NULL AND cancelled_at IS NULL AND expires_at > ?`,
    );
    this.#markEnded = db.prepare<[number, string]>(
      'UPDATE rooms SET ended_at = ? WHERE id = ? AND ended_at IS NULL',
    );
    this.#summariesDue = db.prepare<[number, number, number], RoomRecord>(
      `SELECT * FROM rooms WHERE summarized_at IS NULL AND cancelled_at IS NULL AND created_at >= ?
         AND ((ended_at IS NOT NULL AND seat0_joined_at IS NOT NULL AND seat1_joined_at IS NOT NULL)
           OR (seat1_joined_at IS NULL AND coalesce(starts_at, created_at) < ?))
       ORDER BY created_at LIMIT ?`,
    );
    this.#markSummarized = db.prepare<[number, string]>('UPDATE rooms SET summarized_at = ? WHERE id = ?');
    this.#bookedBy = db.prepare<[string, string, number], RoomRecord>(
      `SELECT * FROM rooms WHERE json_extract(seats, '$[0].waId') = ? AND line = ? AND starts_at IS NOT NULL
         AND cancelled_at IS NULL AND expires_at > ?
       ORDER BY starts_at LIMIT 10`,
    );
    this.#expiredBetween = db.prepare<[number, number, string, number, number], RoomRecord>(
      `SELECT * FROM rooms WHERE (expires_at > ? OR (expires_at = ? AND id > ?)) AND expires_at <= ?
         AND cancelled_at IS NULL
       ORDER BY expires_at, id LIMIT ?`,
    );
    this.#get = db.prepare<[string], RoomRecord>('SELECT * FROM rooms WHERE id = ?');
    this.#deleteExpired = db.prepare<[number]>('DELETE FROM rooms WHERE expires_at < ?');
    this.#latestFor = db.prepare<[string, number, string], RoomRecord>(
      `SELECT * FROM rooms WHERE json_extract(seats, '$[1].waId') = ? AND expires_at > ? AND line = ?
       ORDER BY created_at DESC LIMIT 1`,
    );
    this.#markJoined = [0, 1].map((seat) =>
      db.prepare<[number, string]>(
        `UPDATE rooms SET seat${seat}_joined_at = ? WHERE id = ? AND seat${seat}_joined_at IS NULL`,
      ),
    );
    this.#waiting = db.prepare<
      [number, number, number, number, number],
      RoomRecord & { waiting_seat: 0 | 1 }
    >(
      `SELECT *, CASE WHEN seat0_joined_at IS NULL THEN 0 ELSE 1 END AS waiting_seat FROM rooms
       WHERE nudged_at IS NULL AND expires_at > ? AND (starts_at IS NULL OR starts_at <= ?)
         AND ((seat0_joined_at < ? AND seat1_joined_at IS NULL) OR (seat1_joined_at < ? AND seat0_joined_at IS NULL))
       LIMIT ?`,
    );
    this.#markNudged = db.prepare<[number, string]>('UPDATE rooms SET nudged_at = ? WHERE id = ?');
    this.#countBy = db.prepare<[string, number, string], { n: number }>(
      `SELECT count(*) AS n FROM rooms
       WHERE json_extract(seats, '$[0].waId') = ? AND created_at >= ? AND line = ?`,
    );
    this.#lastPair = db.prepare<[string, string, string], { at: number | null }>(
      `SELECT max(created_at) AS at FROM rooms
       WHERE json_extract(seats, '$[0].waId') = ? AND json_extract(seats, '$[1].waId') = ? AND line = ?`,
    );
  }

  insert(room: Room): void {
    const { apiKeyId, details } = roomDetailsOf(room);
    this.#insert.run(
      room.id,
      room.createdAtMs,
      room.expiresAtMs,
      JSON.stringify(room.seats),
      room.line,
      apiKeyId,
      details,
      room.startsAtMs ?? null,
      room.links === undefined ? null : JSON.stringify(room.links),
    );
  }

  get(roomId: string): Promise<Room | undefined> {
    const row = this.#get.get(roomId);
    return Promise.resolve(row === undefined ? undefined : roomOf(row));
  }

  latestInvitationFor(invitee: string, nowMs: number, line: string): Promise<Room | undefined> {
    const row = this.#latestFor.get(invitee, nowMs, line);
    return Promise.resolve(row === undefined ? undefined : roomOf(row));
  }

  markJoined(roomId: string, seat: SeatIndex, atMs: number): Promise<boolean> {
    return Promise.resolve(this.#markJoined[seat]?.run(atMs, roomId).changes === 1);
  }

  waitingForSecondPerson(
    joinedBeforeMs: number,
    nowMs: number,
  ): Promise<{ room: Room; waitingSeat: SeatIndex }[]> {
    const rows = this.#waiting.all(nowMs, nowMs, joinedBeforeMs, joinedBeforeMs, 100);
    return Promise.resolve(rows.map((row) => ({ room: roomOf(row), waitingSeat: row.waiting_seat })));
  }

  markNudged(roomId: string, atMs: number): Promise<void> {
    this.#markNudged.run(atMs, roomId);
    return Promise.resolve();
  }

  countCreatedBy(inviter: string, sinceMs: number, line: string): Promise<number> {
    return Promise.resolve(this.countCreatedBySync(inviter, sinceMs, line));
  }

  lastCreatedAtMs(inviter: string, invitee: string, line: string): Promise<number | undefined> {
    return Promise.resolve(this.lastCreatedAtMsSync(inviter, invitee, line));
  }

  /** For the ledger's transaction, which checks limits as it writes. */
  countCreatedBySync(inviter: string, sinceMs: number, line: string): number {
    return this.#countBy.get(inviter, sinceMs, line)?.n ?? 0;
  }

  /** For the ledger's transaction, which checks limits as it writes. */
  lastCreatedAtMsSync(inviter: string, invitee: string, line: string): number | undefined {
    return this.#lastPair.get(inviter, invitee, line)?.at ?? undefined;
  }

  remindersDue(startsByMs: number, nowMs: number, limit: number): Promise<BookedRoom[]> {
    const rows = this.#remindersDue.all(startsByMs, nowMs, limit);
    return Promise.resolve(rows.map((row) => ({ room: roomOf(row), links: linksOf(row.links) })));
  }

  markReminded(roomId: string, startsAtMs: number, atMs: number): Promise<void> {
    this.#markReminded.run(atMs, roomId, startsAtMs);
    return Promise.resolve();
  }

  reschedule(roomId: string, startsAtMs: number, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return Promise.resolve(this.#reschedule.run(startsAtMs, expiresAtMs, roomId, nowMs).changes === 1);
  }

  markEnded(roomId: string, atMs: number): Promise<void> {
    this.#markEnded.run(atMs, roomId);
    return Promise.resolve();
  }

  summariesDue(sinceMs: number, noShowBeforeMs: number, limit: number): Promise<Room[]> {
    return Promise.resolve(this.#summariesDue.all(sinceMs, noShowBeforeMs, limit).map(roomOf));
  }

  markSummarized(roomId: string, atMs: number): Promise<void> {
    this.#markSummarized.run(atMs, roomId);
    return Promise.resolve();
  }

  bookedBy(inviter: string, line: string, nowMs: number): Promise<Room[]> {
    return Promise.resolve(this.#bookedBy.all(inviter, line, nowMs).map(roomOf));
  }

  cancel(roomId: string, atMs: number): Promise<boolean> {
    return Promise.resolve(this.#cancel.run(atMs, roomId, atMs).changes === 1);
  }

  list(query: RoomListQuery): Promise<Room[]> {
    if (query.lines.length === 0) return Promise.resolve([]);
    const lines = query.lines.map(() => '?').join(', ');
    const after = query.after === undefined ? '' : 'AND (created_at < ? OR (created_at = ? AND id < ?))';
    const rows = this.#db
      .prepare<unknown[], RoomRecord>(
        `SELECT * FROM rooms WHERE line IN (${lines}) ${after} ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(
        ...query.lines,
        ...(query.after === undefined
          ? []
          : [query.after.createdAtMs, query.after.createdAtMs, query.after.id]),
        query.limit,
      );
    return Promise.resolve(rows.map(roomOf));
  }

  expiredBetween(
    after: { expiresAtMs: number; id: string },
    untilMs: number,
    limit: number,
  ): Promise<Room[]> {
    const rows = this.#expiredBetween.all(after.expiresAtMs, after.expiresAtMs, after.id, untilMs, limit);
    return Promise.resolve(rows.map(roomOf));
  }

  deleteExpired(beforeMs: number): Promise<number> {
    return Promise.resolve(this.#deleteExpired.run(beforeMs).changes);
  }
}
