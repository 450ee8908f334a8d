import type { ErrorCode } from '../src/errors.js';
import type { IceServerConfig, ServerMessage } from '../src/protocol/signaling-messages.js';

// The server's messages, checked field by field before the page acts on them: the same shapes as
// src/protocol/signaling-messages.ts, written out by hand so that no schema library reaches the page bundle.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const optionalString = (value: unknown): boolean => value === undefined || value === null || isString(value);

function isIceServer(value: unknown): value is IceServerConfig {
  if (!isObject(value)) return false;
  const urls = value.urls;
  const validUrls = isString(urls) || (Array.isArray(urls) && urls.every(isString));
  return validUrls && optionalString(value.username) && optionalString(value.credential);
}

const isIceServers = (value: unknown): value is IceServerConfig[] =>
  Array.isArray(value) && value.every(isIceServer);

function isDescription(value: unknown): boolean {
  return isObject(value) && (value.type === 'offer' || value.type === 'answer') && isString(value.sdp);
}

function isCandidate(value: unknown): boolean {
  if (value === null) return true;
  if (!isObject(value) || !isString(value.candidate)) return false;
  const index = value.sdpMLineIndex;
  return (
    optionalString(value.sdpMid) &&
    (index === undefined || index === null || Number.isInteger(index)) &&
    optionalString(value.usernameFragment)
  );
}

/** What each message type must carry. */
const CHECKS: Record<ServerMessage['type'], (message: Json) => boolean> = {
  joined: (m) =>
    (m.seat === 0 || m.seat === 1) &&
    typeof m.polite === 'boolean' &&
    (m.peerSessionId === null || isString(m.peerSessionId)) &&
    isIceServers(m.iceServers) &&
    typeof m.expiresAt === 'number',
  'peer-joined': (m) => isString(m.sessionId),
  'peer-left': (m) => m.reason === 'hangup' || m.reason === 'lost',
  'peer-via': (m) => isString(m.sessionId) && m.via === 'whatsapp-voice',
  description: (m) => isString(m.sessionId) && isDescription(m.description),
  candidate: (m) => isString(m.sessionId) && isCandidate(m.candidate),
  'ice-servers': (m) => isIceServers(m.iceServers),
  pong: () => true,
  error: (m) => isString(m.code) && isString(m.message),
};

/** A server message, or undefined for anything that is not one (it is then ignored). */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  if (!isString(data)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isString(value.type) || !Object.hasOwn(CHECKS, value.type)) return undefined;
  return CHECKS[value.type as ServerMessage['type']](value) ? (value as ServerMessage) : undefined;
}

/** An error code the page knows how to explain, from a message or an HTTP body; INTERNAL otherwise. */
export function knownErrorCode(code: unknown, known: Readonly<Record<string, unknown>>): ErrorCode {
  return isString(code) && Object.hasOwn(known, code) ? (code as ErrorCode) : 'INTERNAL';
}
