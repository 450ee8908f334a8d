import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { IdempotentRequest } from '../calls/message-ledger.js';

// API keys: `wwb_<id>_<secret>`. The id finds the record; only a hash of the secret is stored, so a copy of the
// database opens nothing. A key is shown once, when it is created.

/** What a key may do: read calls, or also create and cancel them. */
export const API_SCOPES = ['read', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A key as stored (never the key itself). */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly secretHash: string;
  readonly scopes: readonly ApiScope[];
  /** The lines whose calls it may create and read; all when undefined. */
  readonly lines: readonly string[] | undefined;
  readonly createdAtMs: number;
  readonly revokedAtMs: number | undefined;
}

/** Where keys are kept. */
export interface ApiKeyStore {
  insert(key: ApiKey): Promise<void>;
  get(id: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  /** Revokes key `id`; false when there is no such key (or it was revoked already). */
  revoke(id: string, atMs: number): Promise<boolean>;
  /** The request a key made with an Idempotency-Key, as the ledger recorded it with its call. */
  findRequest(keyId: string, idempotencyKey: string): Promise<IdempotentRequest | undefined>;
  /** Forgets requests recorded before `beforeMs`; returns how many. */
  pruneRequests(beforeMs: number): Promise<number>;
}

export type { IdempotentRequest } from '../calls/message-ledger.js';

const KEY_PATTERN = /^wwb_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export const apiKeyNameSchema = z
  .string()
  .trim()
  .regex(/^[\w .-]{1,60}$/, 'must be 1 to 60 letters, digits, spaces, dots, dashes or underscores');

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** A new key: the record to store, and the key to show once. */
export function createApiKey(request: {
  name: string;
  scopes: readonly ApiScope[];
  lines: readonly string[] | undefined;
  nowMs: number;
}): { record: ApiKey; key: string } {
  const id = Array.from(randomBytes(10), (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join(
    '',
  );
  const secret = randomBytes(32).toString('base64url');
  return {
    key: `wwb_${id}_${secret}`,
    record: {
      id,
      name: request.name,
      secretHash: hashSecret(secret),
      scopes: [...new Set(request.scopes)],
      lines: request.lines,
      createdAtMs: request.nowMs,
      revokedAtMs: undefined,
    },
  };
}

/** The id a presented key names, and its secret; undefined for anything that is not a key. */
export function parseApiKey(presented: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(presented);
  return match === null ? undefined : { id: match[1] as string, secret: match[2] as string };
}

/** Whether `secret` is the stored key's, compared in constant time; revoked keys open nothing. */
export function keyMatches(record: ApiKey, secret: string): boolean {
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(record.secretHash);
  return record.revokedAtMs === undefined && given.length === stored.length && timingSafeEqual(given, stored);
}

/** A key's id as logs may show it, with its name. */
export function keyLabel(record: ApiKey): string {
  return `${record.name} (${record.id})`;
}
