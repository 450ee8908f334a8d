import type { Language } from '../../protocol/language.js';
import type { PeopleStore, Person } from '../../whatsapp/invitations/people.js';
import type { PostgresDatabase } from './postgres-database.js';

/** PeopleStore on PostgreSQL (the ledger records inbound messages, in its transaction). */
export class PostgresPeopleStore implements PeopleStore {
  constructor(private readonly db: PostgresDatabase) {}

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
