import type { SqlRunner } from '../../history/sql-call-history.js';
import type { RowChange, Statement } from '../../history/history-writes.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';

/** `?` placeholders as PostgreSQL numbers them. The shared statements hold no `?` inside literals. */
export function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

export async function changes(client: Queryable, statement: Statement): Promise<number> {
  return (await client.query(numbered(statement.sql), [...statement.params])).rowCount ?? 0;
}

/** A row change (RowChange) on a transaction's connection; true when its first statement changed a row. */
export async function changeRowOn(client: Queryable, steps: RowChange): Promise<boolean> {
  if ((await changes(client, steps.first)) === 0) return false;
  const read = async (lock = '') =>
    (await client.query(`${numbered(steps.read.sql)}${lock}`, [...steps.read.params])).rows[0];
  // Locked from this read to the commit: a change to the same row on another connection (another instance)
  // waits, and then reads this one's result as its "before"; without the lock both would count the same move.
  const before = await read(' FOR UPDATE');
  await changes(client, steps.change);
  const after = await read();
  if (before !== undefined && after !== undefined) {
    for (const statement of steps.follow(before, after)) await changes(client, statement);
  }
  return true;
}

/** Shared SQL (the call history's) on PostgreSQL. */
export function postgresSqlRunner(db: PostgresDatabase): SqlRunner {
  return {
    all: async (statement) => (await db.query(numbered(statement.sql), [...statement.params])).rows,
    // What a socket or a status reports of a call does not wait for the disk: on a crash of PostgreSQL's host the
    // last moments of the history could be lost (never half-written); invitations, rooms and the ledger keep
    // waiting for it.
    changeRow: (steps) =>
      db.transaction(async (client) => {
        await client.query('SET LOCAL synchronous_commit TO OFF');
        return changeRowOn(client, steps);
      }),
    run: (statements) =>
      db.transaction(async (client) => {
        let last = 0;
        for (const statement of statements) last = await changes(client, statement);
        return last;
      }),
  };
}
