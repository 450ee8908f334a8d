// The signaling protocol's constants (docs/protocol.md). No schema library here: the call page imports this
// file, and it must stay small. A test keeps the close codes equal to the error catalogue's (src/errors.ts).

/** The WebSocket subprotocol; the seat key rides beside it as a second one: `seat.<key>`. */
export const SIGNALING_SUBPROTOCOL = 'wwb.v1';
export const SEAT_KEY_SUBPROTOCOL_PREFIX = 'seat.';
/** Messages larger than this get MESSAGE_TOO_LARGE (a large SDP is ~10 KB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Frames above this are cut by the WebSocket layer itself, with close code 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The close codes that end a session for good, with the error each one means: reconnecting cannot help, the
 * room or the link is no longer valid for this page.
 */
export const FINAL_CLOSE_CODES = {
  4001: 'SEAT_REPLACED',
  4403: 'SEAT_KEY_INVALID',
  4404: 'ROOM_NOT_FOUND',
  4409: 'SEAT_TAKEN',
  4410: 'ROOM_EXPIRED',
  4411: 'ROOM_CANCELLED',
  4425: 'ROOM_NOT_OPEN',
} as const;

/** Every close code the server uses, beyond the final ones: each is listed in docs/protocol.md. */
export const CLOSE_CODES = {
  /** A hang-up. */
  NORMAL: 1000,
  /** A text frame that is not valid UTF-8 (RFC 6455). */
  INVALID_UTF8: 1007,
  /** A frame over MAX_FRAME_BYTES. */
  TOO_BIG: 1009,
  /** The server is shutting down: reconnect. */
  SERVER_RESTARTING: 4503,
} as const;
