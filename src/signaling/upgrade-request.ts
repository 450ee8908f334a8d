import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '../errors.js';

/** RFC 6455: the key is 16 random bytes in base64. */
const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
/** An HTTP token (RFC 9110), which is what a subprotocol name is. */
const TOKEN_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Checks the WebSocket handshake headers the way the WebSocket layer will, so that a bad handshake is refused
 * here with the catalogue's JSON body instead of a bare plain-text 400 after the route has run.
 */
export function upgradeHeadersError(headers: IncomingHttpHeaders): AppError | undefined {
  const key = headers['sec-websocket-key'];
  if (key === undefined || !KEY_PATTERN.test(key)) {
    return new AppError('BAD_REQUEST', 'The Sec-WebSocket-Key header is missing or not valid.');
  }
  if (headers['sec-websocket-version'] !== '13') {
    return new AppError('BAD_REQUEST', 'Only WebSocket version 13 is spoken here.');
  }
  const offered = headers['sec-websocket-protocol'];
  if (offered !== undefined) {
    const names = offered.split(',').map((name) => name.trim());
    if (names.some((name) => !TOKEN_PATTERN.test(name)) || new Set(names).size !== names.length) {
      return new AppError(
        'BAD_REQUEST',
        'The Sec-WebSocket-Protocol header is not a list of distinct names.',
      );
    }
  }
  return undefined;
}
