import type { Room } from './room.js';

/** Where rooms live. New rooms are written together with the message that asked for them (MessageLedger). */
export interface RoomStore {
  /** The room, expired or not; undefined when it never existed or was purged. */
  get(roomId: string): Promise<Room | undefined>;
  /** How many rooms `inviter` asked for since `sinceMs`. */
  countCreatedBy(inviter: string, sinceMs: number): Promise<number>;
  /** When `inviter` last asked for a call with `invitee`, if ever. */
  lastCreatedAtMs(inviter: string, invitee: string): Promise<number | undefined>;
  /** Removes rooms that expired before `beforeMs`; returns how many. */
  deleteExpired(beforeMs: number): Promise<number>;
}
