import type { Room, SeatIndex } from './room.js';

/** Where rooms live. New rooms are written together with the message that asked for them (MessageLedger). */
export interface RoomStore {
  /** The room, expired or not; undefined when it never existed or was purged. */
  get(roomId: string): Promise<Room | undefined>;
  /** How many rooms `inviter` asked for on `line` since `sinceMs`. */
  countCreatedBy(inviter: string, sinceMs: number, line: string): Promise<number>;
  /** When `inviter` last asked for a call with `invitee` on `line`, if ever. */
  lastCreatedAtMs(inviter: string, invitee: string, line: string): Promise<number | undefined>;
  /** The newest live room `invitee` was invited to on `line`, if any. */
  latestInvitationFor(invitee: string, nowMs: number, line: string): Promise<Room | undefined>;
  /** Records the first time someone took `seat`. */
  markJoined(roomId: string, seat: SeatIndex, atMs: number): Promise<void>;
  /**
   * Live rooms where one person joined before `joinedBeforeMs` and the other never did, not nudged yet, with
   * the seat still waiting for someone.
   */
  waitingForSecondPerson(
    joinedBeforeMs: number,
    nowMs: number,
  ): Promise<{ room: Room; waitingSeat: SeatIndex }[]>;
  /** Records that the waiting person was nudged. */
  markNudged(roomId: string, atMs: number): Promise<void>;
  /** Removes rooms that expired before `beforeMs`; returns how many. */
  deleteExpired(beforeMs: number): Promise<number>;
}
