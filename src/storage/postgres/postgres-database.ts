import pg from 'pg';
import { AppError } from '../../errors.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

/** SQLSTATE classes and codes, and socket errors, that mean the server cannot be reached now (not a bad query). */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * A database that does not answer (restarting, unreachable) becomes STORAGE_UNAVAILABLE, which callers treat as
 * "try again later" (a webhook answers 503 so that Meta retries); any other error is left as it is.
 */
function unavailableAsAppError(error: unknown): never {
  const code = (error as { code?: unknown } | undefined)?.code;
  const lost =
    (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code))) ||
    (error instanceof Error &&
      /Connection terminated|connection timeout|Connection ended/i.test(error.message));
  if (lost) throw new AppError('STORAGE_UNAVAILABLE', error instanceof Error ? error.message : undefined);
  throw error;
}

// One pool per process. Times are BIGINT milliseconds, as everywhere in the service; pg hands BIGINT back as a
// string by default (it may not fit a double), but milliseconds since 1970 do, so they are read as numbers.

/** int8's type id in PostgreSQL's catalogue (pg_type). */
const INT8_OID = 20;
const parseBigint = (value: string): number => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID ? parseBigint : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Runs statements: on the pool, or inside `transaction`, on the transaction's connection. */
export interface Queryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>>;
}

/** The pool, and the one way to run a transaction on it. */
export class PostgresDatabase implements Queryable {
  readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /**
   * Connects to `url` and brings the schema up to date. `onError` hears of idle connections the server dropped
   * (a restart): the pool replaces them, and queries meanwhile fail with an error their caller handles.
   */
  static async open(
    url: string,
    options: { maxConnections?: number | undefined; onError?: ((message: string) => void) | undefined } = {},
  ): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      types,
      connectionTimeoutMillis: 5_000,
      application_name: 'whatsapp-webrtc-bot',
    });
    pool.on('error', (error) => options.onError?.(`PostgreSQL connection lost: ${error.message}`));
    // A connection the server ends while it is checked out (in a transaction, or held by a job's lock) reports
    // on the client, not the pool: heard here, and its query fails to its caller, instead of an uncaught error.
    pool.on('connect', (client) => {
      client.on('error', (error) => options.onError?.(`PostgreSQL connection lost: ${error.message}`));
    });
    const database = new PostgresDatabase(pool);
    try {
      await database.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
  }

  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>> {
    return this.pool.query<Row>(text, values).catch(unavailableAsAppError);
  }

  /** A connection of the pool's, for work that holds one (a session lock). */
  connect(): Promise<pg.PoolClient> {
    return this.pool.connect().catch(unavailableAsAppError);
  }

  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      return unavailableAsAppError(error);
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  /**
   * Applies the migrations this database lacks, in order, each in its own transaction. Several instances may
   * start at once: a session advisory lock lets one migrate while the others wait, then find nothing to do.
   */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const applied = await client.query<{ version: number }>(
        'SELECT max(version) AS version FROM schema_migrations',
      );
      const current = applied.rows[0]?.version ?? 0;
      if (current > POSTGRES_MIGRATIONS.length) {
        throw new Error(
          `Database schema version ${current} is newer than this release knows (${POSTGRES_MIGRATIONS.length})`,
        );
      }
      for (let version = current; version < POSTGRES_MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(POSTGRES_MIGRATIONS[version] as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }
}

/** The advisory lock key migrations take: any fixed number, the same in every release. */
const MIGRATION_LOCK = 7_406_032_011;
