import type { Language } from '../../protocol/language.js';
import { mergePerson, type PeopleStore, type Person } from '../../whatsapp/invitations/people.js';
import type { PostgresDatabase } from './postgres-database.js';

/** PeopleStore on PostgreSQL (the ledger records inbound messages and links, in its transaction). */
export class PostgresPeopleStore implements PeopleStore {
  constructor(private readonly db: PostgresDatabase) {}

  async get(person: string, line: string): Promise<Person | undefined> {
    // The person under this identity and under the one linked to it, in one round trip, each branch found by
    // the primary key (a condition on a set of ids made PostgreSQL read every person of the line).
    const { rows } = await this.db.query<{ last_inbound_at: number; language: Language | null }>(
      `SELECT last_inbound_at, language FROM people WHERE line = $1 AND id = $2
       UNION ALL
       SELECT p.last_inbound_at, p.language FROM person_links l JOIN people p ON p.line = l.line AND p.id = l.user_id
       WHERE l.line = $1 AND l.number = $2
       UNION ALL
       SELECT p.last_inbound_at, p.language FROM person_links l JOIN people p ON p.line = l.line AND p.id = l.number
       WHERE l.line = $1 AND l.user_id = $2`,
      [line, person],
    );
    return mergePerson(
      rows.map((row) => ({ lastInboundAtMs: row.last_inbound_at, language: row.language ?? undefined })),
    );
  }

  async linked(person: string, line: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ other: string }>(
      `SELECT user_id AS other FROM person_links WHERE line = $1 AND number = $2
       UNION ALL SELECT number AS other FROM person_links WHERE line = $1 AND user_id = $2 LIMIT 1`,
      [line, person],
    );
    return rows[0]?.other;
  }
}
