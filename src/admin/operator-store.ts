import { createHash, randomBytes } from 'node:crypto';
import type { SqlRunner } from '../history/sql-call-history.js';

// The operator's password hash and sessions, in the service's database (so that every instance knows them):
// SQL both SQLite and PostgreSQL run. A session is a random token in a cookie; the database keeps its hash.

/** A signed-in operator's session. */
export interface OperatorSession {
  /** Sent with every request that changes something (header X-CSRF-Token). */
  readonly csrfToken: string;
  readonly expiresAtMs: number;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The operator's credentials and sessions. */
export class OperatorStore {
  constructor(private readonly sql: SqlRunner) {}

  async passwordHash(): Promise<string | undefined> {
    const [row] = await this.sql.all({ sql: 'SELECT hash FROM operator_password WHERE id = 1', params: [] });
    return row === undefined ? undefined : String(row.hash);
  }

  /** Sets the password, and signs every session out. */
  async setPassword(hash: string, nowMs: number): Promise<void> {
    await this.sql.run([
      {
        sql: `INSERT INTO operator_password (id, hash, updated_at) VALUES (1, ?, ?)
              ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
        params: [hash, nowMs],
      },
      { sql: 'DELETE FROM operator_sessions', params: [] },
    ]);
  }

  /** A new session: its token (for the cookie, never stored) and what the store keeps. */
  async createSession(nowMs: number, ttlMs: number): Promise<{ token: string } & OperatorSession> {
    const token = randomBytes(32).toString('base64url');
    const session = { csrfToken: randomBytes(24).toString('base64url'), expiresAtMs: nowMs + ttlMs };
    await this.sql.run([
      { sql: 'DELETE FROM operator_sessions WHERE expires_at <= ?', params: [nowMs] },
      {
        sql: 'INSERT INTO operator_sessions (token_hash, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?)',
        params: [tokenHash(token), session.csrfToken, nowMs, session.expiresAtMs],
      },
    ]);
    return { token, ...session };
  }

  /** The live session of a cookie's token, if any. */
  async session(token: string, nowMs: number): Promise<OperatorSession | undefined> {
    const [row] = await this.sql.all({
      sql: 'SELECT csrf_token, expires_at FROM operator_sessions WHERE token_hash = ? AND expires_at > ?',
      params: [tokenHash(token), nowMs],
    });
    return row === undefined
      ? undefined
      : { csrfToken: String(row.csrf_token), expiresAtMs: Number(row.expires_at) };
  }

  async endSession(token: string): Promise<void> {
    await this.sql.run([
      { sql: 'DELETE FROM operator_sessions WHERE token_hash = ?', params: [tokenHash(token)] },
    ]);
  }
}
