import { z } from 'zod';
import type { SqliteDatabase } from '../storage/sqlite.js';
import { seatSchema, type Room } from './room.js';
import type { RoomStore } from './room-store.js';

const seatsSchema = z.tuple([seatSchema, seatSchema]);

interface RoomRow {
  id: string;
  created_at: number;
  expires_at: number;
  seats: string;
}

/** RoomStore on SQLite. `insert` is synchronous so that MessageLedger can call it inside its transaction. */
export class SqliteRoomStore implements RoomStore {
  readonly #insert;
  readonly #get;
  readonly #deleteExpired;
  readonly #countBy;
  readonly #lastPair;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[string, number, number, string]>(
      'INSERT INTO rooms (id, created_at, expires_at, seats) VALUES (?, ?, ?, ?)',
    );
    this.#get = db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?');
    this.#deleteExpired = db.prepare<[number]>('DELETE FROM rooms WHERE expires_at < ?');
    this.#countBy = db.prepare<[string, number], { n: number }>(
      `SELECT count(*) AS n FROM rooms WHERE json_extract(seats, '$[0].waId') = ? AND created_at >= ?`,
    );
    this.#lastPair = db.prepare<[string, string], { at: number | null }>(
      `SELECT max(created_at) AS at FROM rooms
       WHERE json_extract(seats, '$[0].waId') = ? AND json_extract(seats, '$[1].waId') = ?`,
    );
  }

  insert(room: Room): void {
    this.#insert.run(room.id, room.createdAtMs, room.expiresAtMs, JSON.stringify(room.seats));
  }

  get(roomId: string): Promise<Room | undefined> {
    const row = this.#get.get(roomId);
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      id: row.id,
      createdAtMs: row.created_at,
      expiresAtMs: row.expires_at,
      seats: seatsSchema.parse(JSON.parse(row.seats)),
    });
  }

  countCreatedBy(inviter: string, sinceMs: number): Promise<number> {
    return Promise.resolve(this.#countBy.get(inviter, sinceMs)?.n ?? 0);
  }

  lastCreatedAtMs(inviter: string, invitee: string): Promise<number | undefined> {
    return Promise.resolve(this.#lastPair.get(inviter, invitee)?.at ?? undefined);
  }

  deleteExpired(beforeMs: number): Promise<number> {
    return Promise.resolve(this.#deleteExpired.run(beforeMs).changes);
  }
}
