import { AppError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { MAX_MESSAGE_BYTES } from '../protocol/signaling-constants.js';
import {
  clientMessageSchema,
  type ClientMessage,
  type IceServerConfig,
} from '../protocol/signaling-messages.js';
import type { SeatSession } from './room-signaling.js';

/** What a handler knows about the socket a message came from. */
export interface HandlerContext {
  readonly session: SeatSession;
  readonly metrics: Metrics;
  /** The ICE servers for this socket, with TURN credentials minted now. */
  readonly iceServers: () => readonly IceServerConfig[];
  /** Ends the socket after a hang-up. */
  readonly close: (code: number, reason: string) => void;
  /** Hears of a call connected (as the page reports it) and of a hang-up, for call events. */
  readonly happened?: ((what: PageReport | 'hangup') => void) | undefined;
}

/** A page's report that its call connected: how long from the Join tap, and whether through TURN. */
export interface PageReport {
  readonly setupMs: number;
  readonly path: 'direct' | 'relay';
}

/** A frame read and checked: the message, and its text as the page sent it. */
export interface ClientFrame {
  readonly message: ClientMessage;
  readonly text: string;
}

type Handlers = {
  [T in ClientMessage['type']]: (
    ctx: HandlerContext,
    message: Extract<ClientMessage, { type: T }>,
    text: string,
  ) => void;
};

const PONG = { type: 'pong' } as const;

/** The fields each relayed message may carry: only then is its text relayed as it came. */
const RELAYED_FIELDS = {
  description: { outer: new Set(['type', 'description']), inner: new Set(['type', 'sdp']) },
  candidate: {
    outer: new Set(['type', 'candidate']),
    inner: new Set(['candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment']),
  },
} as const;

function onlyKnownFields(value: object | null, known: ReadonlySet<string>): boolean {
  if (value === null) return true;
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

/**
 * The frame the other seat gets for a checked description or candidate: the page's own text with the sender's
 * session id spliced in, so nothing is parsed into objects and written out again. A message with fields the
 * schema does not know (which the check dropped) is written from the checked message instead, so that only
 * checked fields are ever relayed.
 */
export function relayFrame(
  session: Pick<SeatSession, 'relayPrefix' | 'sessionId'>,
  message: Extract<ClientMessage, { type: 'description' | 'candidate' }>,
  text: string,
  raw: Record<string, unknown>,
): string {
  const fields = RELAYED_FIELDS[message.type];
  const inner = message.type === 'description' ? raw.description : raw.candidate;
  if (
    onlyKnownFields(raw, fields.outer) &&
    typeof inner === 'object' &&
    onlyKnownFields(inner, fields.inner)
  ) {
    return session.relayPrefix + text.slice(text.indexOf('{') + 1);
  }
  return JSON.stringify({ ...message, sessionId: session.sessionId });
}

/** One small handler per message type. */
const handlers: Handlers = {
  description: (ctx, message, text) => ctx.session.relay(text),
  candidate: (ctx, message, text) => ctx.session.relay(text),
  ping: (ctx) => ctx.session.send(PONG),
  'refresh-ice': (ctx) => ctx.session.send({ type: 'ice-servers', iceServers: ctx.iceServers() }),
  connected: (ctx, { setupMs, path }) => {
    ctx.metrics.callSetupSeconds.observe(setupMs / 1000);
    ctx.metrics.callsConnected.inc({ path });
    ctx.happened?.({ setupMs, path });
  },
  leave: (ctx) => {
    ctx.metrics.callsCompleted.inc();
    ctx.happened?.('hangup');
    void ctx.session.leave('hangup').finally(() => ctx.close(1000, 'hangup'));
  },
};

/**
 * Reads one WebSocket frame into a checked message, or the coded error its sender gets back. For a relayed
 * message the text returned is the frame the other seat gets.
 */
export function readClientFrame(
  data: Buffer,
  isBinary: boolean,
  session: Pick<SeatSession, 'relayPrefix' | 'sessionId'>,
): ClientFrame | AppError {
  if (data.byteLength > MAX_MESSAGE_BYTES) return new AppError('MESSAGE_TOO_LARGE');
  if (isBinary) return new AppError('MESSAGE_INVALID', 'Signaling messages are JSON text frames.');
  const text = data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new AppError('MESSAGE_INVALID', 'The message is not valid JSON.');
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const type = (json as { type?: unknown } | null)?.type;
    return new AppError(
      'MESSAGE_INVALID',
      typeof type === 'string'
        ? `The "${type.slice(0, 32)}" message is not valid.`
        : 'The message has no known type.',
    );
  }
  const message = parsed.data;
  if (message.type === 'description' || message.type === 'candidate') {
    return { message, text: relayFrame(session, message, text, json as Record<string, unknown>) };
  }
  return { message, text };
}

/** Runs the handler for a checked message. */
export function dispatch(ctx: HandlerContext, frame: ClientFrame): void {
  const handler = handlers[frame.message.type] as (
    ctx: HandlerContext,
    message: ClientMessage,
    text: string,
  ) => void;
  handler(ctx, frame.message, frame.text);
}
