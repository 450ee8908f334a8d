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
  api_key_id?: string | null;
  details?: unknown;
  cancelled_at?: number | null;
  seat0_joined_at?: number | null;
  seat1_joined_at?: number | null;
  starts_at?: number | null;
  ended_at?: number | null;
  links?: unknown;
}

const detailsSchema = z.object({
  metadata: z.record(z.string(), z.unknown()).optional(),
  notSent: z.object({ host: z.string().optional(), guest: z.string().optional() }).optional(),
});

/** An API call's details column: its metadata and the invitations that could not be sent. */
export function roomDetails(room: Room): z.infer<typeof detailsSchema> | null {
  if (room.metadata === undefined && room.notSent === undefined) return null;
  return {
    ...(room.metadata !== undefined && { metadata: room.metadata }),
    ...(room.notSent !== undefined && { notSent: room.notSent }),
  };
}

/** The columns a new room is written with, besides its id, times, seats and line. */
export function roomDetailsOf(room: Room): { apiKeyId: string | null; details: string | null } {
  const details = roomDetails(room);
  return { apiKeyId: room.apiKeyId ?? null, details: details === null ? null : JSON.stringify(details) };
}

function detailsOf(value: unknown): Pick<Room, 'metadata' | 'notSent'> {
  const details = detailsSchema.parse(typeof value === 'string' ? JSON.parse(value) : value);
  return {
    ...(details.metadata !== undefined && { metadata: details.metadata }),
    ...(details.notSent !== undefined && { notSent: details.notSent as NonNullable<Room['notSent']> }),
  };
}

const linksSchema = z.tuple([z.string(), z.string()]).nullable();

/** A booked room's links column (JSON text in SQLite, parsed in PostgreSQL). */
export function linksOf(value: unknown): readonly [string, string] | undefined {
  return linksSchema.parse(typeof value === 'string' ? JSON.parse(value) : (value ?? null)) ?? undefined;
}

/** The room a row holds, its seats checked. */
export function roomOf(row: RoomRecord): Room {
  return {
    id: row.id,
    createdAtMs: row.created_at,
    expiresAtMs: row.expires_at,
    seats: seatsSchema.parse(typeof row.seats === 'string' ? JSON.parse(row.seats) : row.seats),
    line: row.line,
    ...(row.api_key_id != null && { apiKeyId: row.api_key_id }),
    ...(row.details != null && detailsOf(row.details)),
    ...(row.cancelled_at != null && { cancelledAtMs: row.cancelled_at }),
    ...(row.starts_at != null && { startsAtMs: Number(row.starts_at) }),
    ...(row.ended_at != null && { endedAtMs: Number(row.ended_at) }),
    ...((row.seat0_joined_at != null || row.seat1_joined_at != null) && {
      joinedAtMs: [row.seat0_joined_at ?? undefined, row.seat1_joined_at ?? undefined] as const,
    }),
  };
}
