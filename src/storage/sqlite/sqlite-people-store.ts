import type { SqliteDatabase } from './sqlite-database.js';
import type { PeopleStore, Person } from '../../whatsapp/invitations/people.js';
import type { Language } from '../../protocol/language.js';

/** PeopleStore on SQLite. `recordInbound` is synchronous so that MessageLedger can call it in its transaction. */
export class SqlitePeopleStore implements PeopleStore {
  readonly #record;
  readonly #get;

  constructor(db: SqliteDatabase) {
    // Webhooks arrive out of order: the latest message time wins; a language, once chosen, stays until changed.
    this.#record = db.prepare<[string, number, Language | null]>(
      `INSERT INTO people (id, last_inbound_at, language) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_inbound_at = max(last_inbound_at, excluded.last_inbound_at),
                                      language = coalesce(excluded.language, language)`,
    );
    this.#get = db.prepare<[string], { last_inbound_at: number; language: Language | null }>(
      'SELECT last_inbound_at, language FROM people WHERE id = ?',
    );
  }

  recordInbound(person: string, atMs: number, language: Language | undefined): void {
    this.#record.run(person, atMs, language ?? null);
  }

  get(person: string): Promise<Person | undefined> {
    const row = this.#get.get(person);
    return Promise.resolve(
      row === undefined
        ? undefined
        : { lastInboundAtMs: row.last_inbound_at, language: row.language ?? undefined },
    );
  }
}
