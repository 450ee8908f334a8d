import type { SqlRunner } from '../../history/sql-call-history.js';
import type { Statement } from '../../history/history-writes.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';

/** `?` placeholders as PostgreSQL numbers them. The shared statements hold no `?` inside literals. */
export function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

async function changes(client: Queryable, statement: Statement): Promise<number> {
  return (await client.query(numbered(statement.sql), [...statement.params])).rowCount ?? 0;
}

/** Shared SQL (the call history's) on PostgreSQL. */
export function postgresSqlRunner(db: PostgresDatabase): SqlRunner {
  return {
    all: async (statement) => (await db.query(numbered(statement.sql), [...statement.params])).rows,
    ifChanged: (first, then) =>
      db.transaction(async (client) => {
        if ((await changes(client, first)) === 0) return 0;
        let last = 0;
        for (const statement of then) last = await changes(client, statement);
        return last;
      }),
    run: (statements) =>
      db.transaction(async (client) => {
        let last = 0;
        for (const statement of statements) last = await changes(client, statement);
        return last;
      }),
  };
}
