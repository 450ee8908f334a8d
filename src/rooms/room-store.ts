import type { Room } from './room.js';

/** Where rooms live. New rooms are written together with the message that asked for them (MessageLedger). */
export interface RoomStore {
  /** The room, expired or not; undefined when it never existed or was purged. */
  get(roomId: string): Promise<Room | undefined>;
  /** Removes rooms that expired before `beforeMs`; returns how many. */
  deleteExpired(beforeMs: number): Promise<number>;
}
