import { createHmac } from 'node:crypto';
import type { IceServerConfig } from '../protocol/signaling-messages.js';

/** What minting needs: coturn's shared secret, its URLs, and how long credentials live. */
export interface TurnSettings {
  readonly secret: string;
  readonly urls: readonly string[];
  readonly ttlSeconds: number;
}

/**
 * Short-lived TURN credentials in the TURN REST scheme coturn implements with `use-auth-secret`: the username
 * is "<expiry unix time>:<user>", the password base64(HMAC-SHA1(secret, username)). coturn checks both without
 * calling us; a leaked pair stops working at its expiry.
 */
export function mintTurnCredentials(settings: TurnSettings, user: string, nowMs: number): IceServerConfig {
  const expiry = Math.floor(nowMs / 1000) + settings.ttlSeconds;
  const username = `${expiry}:${user}`;
  const credential = createHmac('sha1', settings.secret).update(username).digest('base64');
  return { urls: settings.urls, username, credential };
}
