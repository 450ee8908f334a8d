import type { SqliteDatabase } from './sqlite-database.js';
import { mergePerson, type PeopleStore, type Person } from '../../whatsapp/invitations/people.js';
import type { Language } from '../../protocol/language.js';

/**
 * PeopleStore on SQLite. `recordInbound` and `link` are synchronous so that MessageLedger can call them in its
 * transaction.
 */
export class SqlitePeopleStore implements PeopleStore {
  readonly #record;
  readonly #get;
  readonly #link;
  readonly #linked;

  constructor(db: SqliteDatabase) {
    // Webhooks arrive out of order: the latest message time wins; a language, once chosen, stays until changed.
    this.#record = db.prepare<[string, string, number, Language | null]>(
      `INSERT INTO people (line, id, last_inbound_at, language) VALUES (?, ?, ?, ?)
       ON CONFLICT (line, id) DO UPDATE SET last_inbound_at = max(last_inbound_at, excluded.last_inbound_at),
                                      language = coalesce(excluded.language, language)`,
    );
    this.#get = db.prepare<[string, string, string], { last_inbound_at: number; language: Language | null }>(
      'SELECT last_inbound_at, language FROM people WHERE line = ? AND id IN (?, ?)',
    );
    // A new user id for a number (Meta makes one when a person changes numbers) replaces the old link.
    this.#link = db.prepare<[string, string, string]>(
      `INSERT INTO person_links (line, number, user_id) VALUES (?, ?, ?)
       ON CONFLICT (line, number) DO UPDATE SET user_id = excluded.user_id`,
    );
    this.#linked = db.prepare<[string, string, string, string], { other: string }>(
      `SELECT user_id AS other FROM person_links WHERE line = ? AND number = ?
       UNION ALL SELECT number AS other FROM person_links WHERE line = ? AND user_id = ? LIMIT 1`,
    );
  }

  recordInbound(line: string, person: string, atMs: number, language: Language | undefined): void {
    this.#record.run(line, person, atMs, language ?? null);
  }

  link(line: string, number: string, userId: string): void {
    this.#link.run(line, number, userId);
  }

  linked(person: string, line: string): Promise<string | undefined> {
    return Promise.resolve(this.#linkedSync(person, line));
  }

  get(person: string, line: string): Promise<Person | undefined> {
    const rows = this.#get.all(line, person, this.#linkedSync(person, line) ?? person);
    return Promise.resolve(
      mergePerson(
        rows.map((row) => ({ lastInboundAtMs: row.last_inbound_at, language: row.language ?? undefined })),
      ),
    );
  }

  #linkedSync(person: string, line: string): string | undefined {
    return this.#linked.get(line, person, line, person)?.other;
  }
}
