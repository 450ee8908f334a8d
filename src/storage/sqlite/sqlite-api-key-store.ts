import type { SqliteDatabase } from './sqlite-database.js';
import { apiKeyColumnsOf, apiKeyOf, type ApiKeyRecord } from '../../api/api-key-record.js';
import type { ApiKey, ApiKeyStore, IdempotentRequest } from '../../api/api-keys.js';

/** ApiKeyStore on SQLite. */
export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #insert;
  readonly #get;
  readonly #list;
  readonly #revoke;
  readonly #recordRequest;
  readonly #findRequest;
  readonly #pruneRequests;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[string, string, string, string, string | null, number]>(
      'INSERT INTO api_keys (id, name, secret_hash, scopes, lines, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#get = db.prepare<[string], ApiKeyRecord>('SELECT * FROM api_keys WHERE id = ?');
    this.#list = db.prepare<[], ApiKeyRecord>('SELECT * FROM api_keys ORDER BY created_at, id');
    this.#revoke = db.prepare<[number, string]>(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
    this.#recordRequest = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO api_requests (key_id, idempotency_key, body_hash, answer, created_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.#findRequest = db.prepare<[string, string], { body_hash: string; answer: string }>(
      'SELECT body_hash, answer FROM api_requests WHERE key_id = ? AND idempotency_key = ?',
    );
    this.#pruneRequests = db.prepare<[number]>('DELETE FROM api_requests WHERE created_at < ?');
  }

  /** For the ledger's transaction, which records a request with the call it made. */
  recordRequestSync(request: IdempotentRequest, nowMs: number): void {
    this.#recordRequest.run(
      request.keyId,
      request.idempotencyKey,
      request.bodyHash,
      JSON.stringify(request.answer),
      nowMs,
    );
  }

  findRequest(keyId: string, idempotencyKey: string): Promise<IdempotentRequest | undefined> {
    const row = this.#findRequest.get(keyId, idempotencyKey);
    return Promise.resolve(
      row === undefined
        ? undefined
        : { keyId, idempotencyKey, bodyHash: row.body_hash, answer: JSON.parse(row.answer) as unknown },
    );
  }

  pruneRequests(beforeMs: number): Promise<number> {
    return Promise.resolve(this.#pruneRequests.run(beforeMs).changes);
  }

  insert(key: ApiKey): Promise<void> {
    this.#insert.run(...apiKeyColumnsOf(key));
    return Promise.resolve();
  }

  get(id: string): Promise<ApiKey | undefined> {
    const row = this.#get.get(id);
    return Promise.resolve(row === undefined ? undefined : apiKeyOf(row));
  }

  list(): Promise<ApiKey[]> {
    return Promise.resolve(this.#list.all().map(apiKeyOf));
  }

  revoke(id: string, atMs: number): Promise<boolean> {
    return Promise.resolve(this.#revoke.run(atMs, id).changes === 1);
  }
}
