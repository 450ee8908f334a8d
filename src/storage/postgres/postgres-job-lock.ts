import type { JobLock } from '../../calls/periodic-jobs.js';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * JobLock on PostgreSQL: a session advisory lock per job, tried (never waited for) on a connection of its own and
 * held while the job runs. PostgreSQL frees it when the session ends, so an instance that dies mid-job frees
 * the job for the others' next turn.
 */
export class PostgresJobLock implements JobLock {
  constructor(private readonly db: PostgresDatabase) {}

  async exclusively<T>(job: string, work: () => Promise<T>): Promise<T | undefined> {
    const client = await this.db.connect();
    const key = `periodic-job:${job}`;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [key],
      );
      if (rows[0]?.locked !== true) return undefined;
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      client.release();
    }
  }
}
