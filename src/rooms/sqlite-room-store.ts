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

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[string, number, number, string]>(
      'INSERT INTO rooms (id, created_at, expires_at, seats) VALUES (?, ?, ?, ?)',
    );
    this.#get = db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?');
    this.#deleteExpired = db.prepare<[number]>('DELETE FROM rooms WHERE expires_at < ?');
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

  deleteExpired(beforeMs: number): Promise<number> {
    return Promise.resolve(this.#deleteExpired.run(beforeMs).changes);
  }
}
