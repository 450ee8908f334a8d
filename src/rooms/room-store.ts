import type { Room, SeatIndex } from './room.js';

/** A page of rooms: those of some lines, newest first. */
export interface RoomListQuery {
  readonly lines: readonly string[];
  /** The last room of the previous page. */
  readonly after?: { readonly createdAtMs: number; readonly id: string } | undefined;
  readonly limit: number;
}

/** A booked room with the two links its reminders carry (none for a room stored without them). */
export interface BookedRoom {
  readonly room: Room;
  readonly links: readonly [string, string] | undefined;
}

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
  /** Records the first time someone took `seat`; true when this was the first time. */
  markJoined(roomId: string, seat: SeatIndex, atMs: number): Promise<boolean>;
  /**
   * Live rooms where one person joined before `joinedBeforeMs` and the other never did, not nudged yet, with
   * the seat still waiting for someone; a booked call only from its time (coming early is no reason to hurry
   * the other person).
   */
  waitingForSecondPerson(
    joinedBeforeMs: number,
    nowMs: number,
  ): Promise<{ room: Room; waitingSeat: SeatIndex }[]>;
  /** Records that the waiting person was nudged. */
  markNudged(roomId: string, atMs: number): Promise<void>;
  /**
   * Booked rooms, live and not cancelled, starting by `startsByMs` and not reminded of since their time was
   * set, soonest first, at most `limit`.
   */
  remindersDue(startsByMs: number, nowMs: number, limit: number): Promise<BookedRoom[]>;
  /** Records that the reminder of the call at `startsAtMs` went out (nothing if it was moved meanwhile). */
  markReminded(roomId: string, startsAtMs: number, atMs: number): Promise<void>;
  /**
   * Moves a live booked room to `startsAtMs`, living until `expiresAtMs`; its reminder and nudge are due again.
   * False when it is not there, not booked, expired or cancelled.
   */
  reschedule(roomId: string, startsAtMs: number, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /** Records the first hang-up of a call. */
  markEnded(roomId: string, atMs: number): Promise<void>;
  /**
   * Calls whose inviter has not been told how they went, created since `sinceMs`, not cancelled: those where
   * both people came and someone hung up, and those whose invitee never came by `noShowBeforeMs` after the
   * call's time (its start, or its creation). At most `limit`.
   */
  summariesDue(sinceMs: number, noShowBeforeMs: number, limit: number): Promise<Room[]>;
  /** Records that the inviter was told how the call went (or that nobody could be). */
  markSummarized(roomId: string, atMs: number): Promise<void>;
  /** The live booked calls `inviter` asked for on `line`, soonest first (at most 10). */
  bookedBy(inviter: string, line: string, nowMs: number): Promise<Room[]>;
  /** Marks a live room cancelled; false when it is not there, expired, or cancelled already. */
  cancel(roomId: string, atMs: number): Promise<boolean>;
  /**
   * Rooms of `lines`, newest first, after the cursor (the last room of the previous page), at most `limit`.
   */
  list(query: RoomListQuery): Promise<Room[]>;
  /**
   * Rooms not cancelled whose time ran out after `after` (an expiry time, and the id of the last room read at
   * that time) and by `untilMs`, in order of expiry then id, at most `limit`.
   */
  expiredBetween(
    after: { readonly expiresAtMs: number; readonly id: string },
    untilMs: number,
    limit: number,
  ): Promise<Room[]>;
  /** Removes rooms that expired before `beforeMs`; returns how many. */
  deleteExpired(beforeMs: number): Promise<number>;
}
