import { apiKeyColumnsOf, apiKeyOf, type ApiKeyRecord } from '../../api/api-key-record.js';
import type { ApiKey, ApiKeyStore, IdempotentRequest } from '../../api/api-keys.js';
import type { PostgresDatabase } from './postgres-database.js';

/** ApiKeyStore on PostgreSQL. */
export class PostgresApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: PostgresDatabase) {}

  async insert(key: ApiKey): Promise<void> {
    await this.db.query(
      'INSERT INTO api_keys (id, name, secret_hash, scopes, lines, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      apiKeyColumnsOf(key),
    );
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const { rows } = await this.db.query<ApiKeyRecord>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : apiKeyOf(rows[0]);
  }

  async list(): Promise<ApiKey[]> {
    const { rows } = await this.db.query<ApiKeyRecord>('SELECT * FROM api_keys ORDER BY created_at, id');
    return rows.map(apiKeyOf);
  }

  async findRequest(keyId: string, idempotencyKey: string): Promise<IdempotentRequest | undefined> {
    const { rows } = await this.db.query<{ body_hash: string; answer: unknown }>(
      'SELECT body_hash, answer FROM api_requests WHERE key_id = $1 AND idempotency_key = $2',
      [keyId, idempotencyKey],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { keyId, idempotencyKey, bodyHash: row.body_hash, answer: row.answer };
  }

  async pruneRequests(beforeMs: number): Promise<number> {
    const result = await this.db.query('DELETE FROM api_requests WHERE created_at < $1', [beforeMs]);
    return result.rowCount ?? 0;
  }

  async revoke(id: string, atMs: number): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
      [atMs, id],
    );
    return result.rowCount === 1;
  }
}
