import type { Language } from '../../protocol/language.js';
import type { PeopleStore, Person } from '../../whatsapp/invitations/people.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';

/** PeopleStore on PostgreSQL. `recordInbound` runs inside the ledger's transaction. */
export class PostgresPeopleStore implements PeopleStore {
  constructor(private readonly db: PostgresDatabase) {}

  async recordInbound(
    client: Queryable,
    person: string,
    atMs: number,
    language: Language | undefined,
  ): Promise<void> {
    // Webhooks arrive out of order: the latest message time wins; a language, once chosen, stays until changed.
    await client.query(
      `INSERT INTO people (id, last_inbound_at, language) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET last_inbound_at = greatest(people.last_inbound_at, excluded.last_inbound_at),
                                      language = coalesce(excluded.language, people.language)`,
      [person, atMs, language ?? null],
    );
  }

  async get(person: string): Promise<Person | undefined> {
    const { rows } = await this.db.query<{ last_inbound_at: number; language: Language | null }>(
      'SELECT last_inbound_at, language FROM people WHERE id = $1',
      [person],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { lastInboundAtMs: row.last_inbound_at, language: row.language ?? undefined };
  }
}
