import { z } from 'zod';
import { API_SCOPES, type ApiKey } from './api-keys.js';

// An api_keys row as every SQL backend stores it. JSON columns arrive as text (SQLite) or parsed (PostgreSQL).

export interface ApiKeyRecord {
  id: string;
  name: string;
  secret_hash: string;
  scopes: unknown;
  lines: unknown;
  created_at: number;
  revoked_at: number | null;
}

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const scopesSchema = z.array(z.enum(API_SCOPES));
const linesSchema = z.array(z.string()).nullable();

/** A new key's columns, in the order id, name, secret_hash, scopes, lines (JSON as text), created_at. */
export function apiKeyColumnsOf(key: ApiKey): [string, string, string, string, string | null, number] {
  return [
    key.id,
    key.name,
    key.secretHash,
    JSON.stringify(key.scopes),
    key.lines === undefined ? null : JSON.stringify(key.lines),
    key.createdAtMs,
  ];
}

/** The key a row holds, its JSON checked. */
export function apiKeyOf(row: ApiKeyRecord): ApiKey {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    scopes: scopesSchema.parse(json(row.scopes)),
    lines: linesSchema.parse(json(row.lines)) ?? undefined,
    createdAtMs: row.created_at,
    revokedAtMs: row.revoked_at ?? undefined,
  };
}
