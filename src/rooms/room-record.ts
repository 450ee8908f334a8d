import { z } from 'zod';
import { seatSchema, type Room } from './room.js';

// A room row as every SQL backend stores it. The seats column arrives as JSON text (SQLite) or parsed
// (PostgreSQL).

const seatsSchema = z.tuple([seatSchema, seatSchema]);

/** The columns a room is read from. */
export interface RoomRecord {
  id: string;
  created_at: number;
  expires_at: number;
  seats: unknown;
  line: string;
}

/** The room a row holds, its seats checked. */
export function roomOf(row: RoomRecord): Room {
  return {
    id: row.id,
    createdAtMs: row.created_at,
    expiresAtMs: row.expires_at,
    seats: seatsSchema.parse(typeof row.seats === 'string' ? JSON.parse(row.seats) : row.seats),
    line: row.line,
  };
}
