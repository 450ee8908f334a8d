import type { SqliteDatabase } from '../storage/sqlite.js';
import type { PeopleStore } from './people.js';

/** PeopleStore on SQLite. `recordInbound` is synchronous so that MessageLedger can call it in its transaction. */
export class SqlitePeopleStore implements PeopleStore {
  readonly #record;
  readonly #get;

  constructor(db: SqliteDatabase) {
    // Webhooks arrive out of order: the latest message time wins.
    this.#record = db.prepare<[string, number]>(
      `INSERT INTO people (id, last_inbound_at) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET last_inbound_at = max(last_inbound_at, excluded.last_inbound_at)`,
    );
    this.#get = db.prepare<[string], { last_inbound_at: number }>(
      'SELECT last_inbound_at FROM people WHERE id = ?',
    );
  }

  recordInbound(person: string, atMs: number): void {
    this.#record.run(person, atMs);
  }

  lastInboundAtMs(person: string): Promise<number | undefined> {
    return Promise.resolve(this.#get.get(person)?.last_inbound_at);
  }
}
